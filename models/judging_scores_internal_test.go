package models

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// decodeScoreValues reads exactly what encoding/json reads, on the plain form Value writes and on everything
// else, which it hands to encoding/json.
func TestDecodeScoreValuesReadsWhatJSONReads(t *testing.T) {
	texts := []string{`{}`, `{"12":7}`, `{"1":7,"2":2.5,"3":-0.125,"40":10}`, `{"61":6,"62":7,"63":7,"64":5,"65":6,"66":6}`,
		`{"1":0.1,"2":0.30000000000000004,"3":123456789.123456789}`, `{"-3":1}`, `{"1":1,"1":2}`,
		// Not the plain form: encoding/json decides.
		`{ "1": 7 }`, `{"1":1e2}`, `{"1":07}`, `{"01":7}`, `{"1":7,}`, `{"1":}`, `{"1"7}`, `{"a":7}`, `{"1":"7"}`, `null`,
		`{"1":1.}`, `{"1":.5}`, `{"1":-}`, `{"1":7`, `{"99999999999999999999":1}`, `{"1":1e400}`, `{"1":7}x`, `{,}`, `{"":1}`}
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		v := ScoreValues{}
		for range r.IntN(8) {
			v[r.Int64N(1000)-10] = []float64{float64(r.IntN(11)), r.Float64() * 10, -r.NormFloat64(), 1e-7 * r.Float64()}[r.IntN(4)]
		}
		b, _ := json.Marshal(v)
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		var want ScoreValues
		wantErr := json.Unmarshal([]byte(text), &want)
		got, err := decodeScoreValues([]byte(text))
		if (err != nil) != (wantErr != nil) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: got %v (%v), want %v (%v)", text, got, err, want, wantErr)
		}
		if _, plain := plainScoreValues([]byte(text)); plain && wantErr != nil {
			t.Errorf("%s: read as plain, though not JSON", text)
		}
	}
	if v, ok := plainScoreValues([]byte(`{"61":6,"62":7.5}`)); !ok || fmt.Sprint(v) != "map[61:6 62:7.5]" {
		t.Errorf("the stored form is not read without encoding/json: %v, %v", v, ok)
	}
}
