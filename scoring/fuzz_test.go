package scoring

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// The fuzz targets run their seeds as ordinary tests; `go test -fuzz
// FuzzParseScoresCSV ./scoring/` explores further. They check that the
// parsers never panic, that whatever they accept can be ranked, and that
// whatever they reject is explained as "file:line: what is wrong".

func checkProblemLines(t *testing.T, err error, file string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %T (%v) is not an *InputError", err, err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, file+":") {
			t.Fatalf("message line %q does not start with %q", line, file+":")
		}
	}
}

func FuzzParseRubricCSV(f *testing.F) {
	for _, seed := range []string{
		exampleRubricCSV,
		"",
		"criterion,weight,min,max\n",
		"\uFEFFcriterion,weight,min,max\r\nx,1,0,1\r\n",
		"max,min,weight,criterion\n5,1,2,team\n",
		"criterion,weight,min,max\nx,1,0,1\nx,1,0,1\n",
		"criterion,weight,min,max\nx,0,1,0\n",
		"criterion,weight,min,max\n\"x\ny\",1,0,1e308\n",
		"criterion,weight,min,max\nx,NaN,-Inf,1e999\n",
		"criterion,weight,min,max\nx,1.7976931348623157e308,0,1\ny,1.7976931348623157e308,0,1\n",
		"criterion,weight,min,max\n\"x,1,0,1\n",
		"a\"b,c\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rub, err := ParseRubricCSV(bytes.NewReader(data), "rubric.csv")
		if err != nil {
			checkProblemLines(t, err, "rubric.csv")
			return
		}
		if err := rub.Validate(); err != nil {
			t.Fatalf("accepted a rubric that does not validate: %v", err)
		}
	})
}

func FuzzParseScoresCSV(f *testing.F) {
	rub, err := ParseRubricCSV(strings.NewReader(exampleRubricCSV), "rubric.csv")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		exampleScoresCSV,
		"",
		ScoresHeader + "\n",
		ScoresHeader + "\nana,A,problem,5\nana,A,team,3\n",
		ScoresHeader + "\nana,A,problem,5\nana,A,team,3\nana,A,team,4\n",
		ScoresHeader + "\nana,A,problem,11\nana,A,team,0\n",
		ScoresHeader + "\nana,A,problem,x\nana,A,teem,3\n",
		ScoresHeader + "\nana,A,problem,5\n",
		ScoresHeader + "\n\"ana\",\"A, Inc.\",problem,5\nana,\"A, Inc.\",team,5\n",
		"score,criterion,application,judge\n1.5,team,B,ben\n0,problem,B,ben\n",
		ScoresHeader + "\nana,A,problem,5,6\n,,,\n",
		ScoresHeader + "\nana,A,\"problem\n\",5\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		scores, err := ParseScoresCSV(bytes.NewReader(data), "scores.csv", rub)
		if err != nil {
			checkProblemLines(t, err, "scores.csv")
			return
		}
		for _, m := range Methods() {
			rk, err := Rank(rub, scores, Options{Method: m, MinJudgeScores: 2})
			if err != nil {
				t.Fatalf("accepted scores that do not rank: %v", err)
			}
			n := 0
			for _, res := range rk.Results {
				n += res.Judges
				if res.RawMean < -1e-9 || res.RawMean > 100+1e-9 {
					t.Fatalf("raw mean %v outside 0–100", res.RawMean)
				}
			}
			if n != len(scores) {
				t.Fatalf("%d scores but results count %d", len(scores), n)
			}
		}
	})
}
