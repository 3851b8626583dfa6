package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseRubricCSV(t *testing.T) {
	t.Run("reads criteria in file order, with spaces, a byte order mark and blank rows", func(t *testing.T) {
		in := "\uFEFF Criterion , WEIGHT,min,max\r\n problem , 3 ,0,10\r\n\r\n,,,\r\nteam,2,1,5\r\n"
		rub, err := ParseRubricCSV(strings.NewReader(in), "rubric.csv")
		if err != nil {
			t.Fatal(err)
		}
		want := []Criterion{{"problem", 3, 0, 10}, {"team", 2, 1, 5}}
		if len(rub.Criteria) != 2 || rub.Criteria[0] != want[0] || rub.Criteria[1] != want[1] {
			t.Errorf("criteria = %+v, want %+v", rub.Criteria, want)
		}
	})
	t.Run("accepts the columns in any order", func(t *testing.T) {
		rub, err := ParseRubricCSV(strings.NewReader("max,min,weight,criterion\n5,1,2,team\n"), "r.csv")
		if err != nil {
			t.Fatal(err)
		}
		if rub.Criteria[0] != (Criterion{"team", 2, 1, 5}) {
			t.Errorf("criteria = %+v", rub.Criteria)
		}
	})

	tests := []struct {
		name string
		in   string
		kind error
		msg  string
	}{
		{"an empty file", "", ErrEmpty,
			`rubric.csv:1: the file is empty: expected the header "criterion,weight,min,max"`},
		{"a header alone", "criterion,weight,min,max\n", ErrEmpty,
			"rubric.csv:1: no criteria below the header"},
		{"a missing column", "criterion,weight,min\nx,1,0\n", ErrMalformed,
			`rubric.csv:1: missing column "max": expected the header "criterion,weight,min,max"`},
		{"an unexpected column", "criterion,weight,min,max,notes\nx,1,0,1,hi\n", ErrMalformed,
			`rubric.csv:1: unexpected column "notes": expected the header "criterion,weight,min,max"`},
		{"a repeated column", "criterion,weight,min,max,min\nx,1,0,1,0\n", ErrMalformed,
			`rubric.csv:1: column "min" appears twice`},
		{"a malformed number", "criterion,weight,min,max\nx,heavy,0,1\n", ErrMalformed,
			`rubric.csv:2: criterion "x": weight "heavy" is not a number`},
		{"an infinite number", "criterion,weight,min,max\nx,1,0,Inf\n", ErrMalformed,
			`rubric.csv:2: criterion "x": max "Inf" is not a number`},
		{"a hexadecimal number", "criterion,weight,min,max\nx,0x1p3,0,1\n", ErrMalformed,
			`rubric.csv:2: criterion "x": weight "0x1p3" is not a number`},
		{"a number too large for a float", "criterion,weight,min,max\nx,1,0,1e999\n", ErrMalformed,
			`rubric.csv:2: criterion "x": max "1e999" is too large`},
		{"an empty number", "criterion,weight,min,max\nx,1,,1\n", ErrMalformed,
			`rubric.csv:2: criterion "x": min is empty`},
		{"a zero weight", "criterion,weight,min,max\nx,0,0,1\n", ErrInvalidRubric,
			`rubric.csv:2: criterion "x": weight 0 must be above 0`},
		{"min not below max", "criterion,weight,min,max\nx,1,5,1\n", ErrInvalidRubric,
			`rubric.csv:2: criterion "x": min 5 must be below max 1`},
		{"a criterion defined twice", "criterion,weight,min,max\nx,1,0,1\ny,1,0,1\nx,2,0,1\n", ErrInvalidRubric,
			`rubric.csv:4: criterion "x" is already defined on line 2`},
		{"a row with too few fields", "criterion,weight,min,max\nx,1,0\n", ErrMalformed,
			"rubric.csv:2: expected 4 fields like the header, found 3"},
		{"a criterion without a name", "criterion,weight,min,max\n ,1,0,1\n", ErrMalformed,
			"rubric.csv:2: the criterion has no name"},
		{"broken quoting", "criterion,weight,min,max\n\"x,1,0,1\n", ErrMalformed,
			`rubric.csv:2: malformed CSV: extraneous or missing " in quoted-field (column 10)`},
		{"several problems, one per line", "criterion,weight,min,max\nx,0,0,1\ny,1,2,1\n", ErrInvalidRubric,
			"rubric.csv:2: criterion \"x\": weight 0 must be above 0\nrubric.csv:3: criterion \"y\": min 2 must be below max 1"},
	}
	for _, tc := range tests {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			_, err := ParseRubricCSV(strings.NewReader(tc.in), "rubric.csv")
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v is not %v", err, tc.kind)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}
}

func TestParseScoresCSV(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	t.Run("groups rows into one score per judge and application", func(t *testing.T) {
		in := "judge,application,criterion,score\nana,A,problem,9\nben,A,team,2\nana,A,team,5\nben,A,problem,0.5\n"
		scores, err := ParseScoresCSV(strings.NewReader(in), "scores.csv", rub)
		if err != nil {
			t.Fatal(err)
		}
		if len(scores) != 2 || scores[0].Judge != "ana" || scores[1].Judge != "ben" ||
			scores[0].Values["problem"] != 9 || scores[0].Values["team"] != 5 ||
			scores[1].Values["problem"] != 0.5 || scores[1].Values["team"] != 2 {
			t.Errorf("scores = %+v", scores)
		}
	})

	const h = "judge,application,criterion,score\n"
	tests := []struct {
		name string
		in   string
		kind error
		msg  string
	}{
		{"an empty file", "", ErrEmpty,
			`scores.csv:1: the file is empty: expected the header "judge,application,criterion,score"`},
		{"a header alone", h, ErrEmpty, "scores.csv:1: no scores below the header"},
		{"the rubric passed as scores", "criterion,weight,min,max\nx,1,0,1\n", ErrMalformed,
			"scores.csv:1: unexpected column \"weight\": expected the header \"judge,application,criterion,score\"\n" +
				"scores.csv:1: unexpected column \"min\": expected the header \"judge,application,criterion,score\"\n" +
				"scores.csv:1: unexpected column \"max\": expected the header \"judge,application,criterion,score\"\n" +
				"scores.csv:1: missing column \"judge\": expected the header \"judge,application,criterion,score\"\n" +
				"scores.csv:1: missing column \"application\": expected the header \"judge,application,criterion,score\"\n" +
				"scores.csv:1: missing column \"score\": expected the header \"judge,application,criterion,score\""},
		{"an unknown criterion", h + "ana,A,problem,5\nana,A,team,3\nana,A,teem,3\n", ErrUnknownCriterion,
			`scores.csv:4: unknown criterion "teem": the rubric has "problem", "team"`},
		{"a misspelt criterion without also calling the right one missing", h + "ana,A,problem,5\nana,A,teem,3\n", ErrUnknownCriterion,
			`scores.csv:3: unknown criterion "teem": the rubric has "problem", "team"`},
		{"a score out of range", h + "ana,A,problem,11\nana,A,team,3\n", ErrOutOfRange,
			`scores.csv:2: score 11 for criterion "problem" is outside its scale of 0 to 10`},
		{"a score below the scale", h + "ana,A,problem,1\nana,A,team,0.5\n", ErrOutOfRange,
			`scores.csv:3: score 0.5 for criterion "team" is outside its scale of 1 to 5`},
		{"a malformed number", h + "ana,A,problem,7,5\n", ErrMalformed,
			"scores.csv:2: expected 4 fields like the header, found 5"},
		{"a number with a decimal comma", h + "ana,A,problem,\"7,5\"\nana,A,team,3\n", ErrMalformed,
			`scores.csv:2: score "7,5" is not a number`},
		{"a score that is NaN", h + "ana,A,problem,NaN\nana,A,team,3\n", ErrMalformed,
			`scores.csv:2: score "NaN" is not a number`},
		{"a judge scoring an application twice", h + "ana,A,problem,5\nana,A,team,3\nana,A,problem,6\n", ErrDuplicateScore,
			`scores.csv:4: judge "ana" already scored criterion "problem" of application "A" on line 2`},
		{"a missing criterion, at the judge's first row for the application", h + "ben,B,team,3\nana,A,problem,5\nana,A,team,3\nben,B,team,4\n",
			ErrDuplicateScore,
			"scores.csv:2: judge \"ben\" gave application \"B\" no score for criterion \"problem\"\n" +
				"scores.csv:5: judge \"ben\" already scored criterion \"team\" of application \"B\" on line 2"},
		{"an empty judge", h + ",A,problem,5\n", ErrMalformed, "scores.csv:2: the judge is empty"},
		{"an empty application", h + "ana, ,problem,5\n", ErrMalformed, "scores.csv:2: the application is empty"},
		{"an empty criterion", h + "ana,A,,5\n", ErrMalformed, "scores.csv:2: the criterion is empty"},
	}
	for _, tc := range tests {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			scores, err := ParseScoresCSV(strings.NewReader(tc.in), "scores.csv", rub)
			if err == nil {
				t.Fatalf("no error; scores %+v", scores)
			}
			if scores != nil {
				t.Errorf("scores came back with the error")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v is not %v", err, tc.kind)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}

	t.Run("reports at most 20 problems and counts the rest", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(h)
		for range 25 {
			b.WriteString("ana,A,nope,1\n")
		}
		_, err := ParseScoresCSV(strings.NewReader(b.String()), "scores.csv", rub)
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != 21 || lines[20] != "scores.csv: 5 more problems not shown" {
			t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
		}
	})
	t.Run("returns an invalid rubric's error as such", func(t *testing.T) {
		_, err := ParseScoresCSV(strings.NewReader(h+"ana,A,x,1\n"), "scores.csv", Rubric{})
		if !errors.Is(err, ErrEmpty) || strings.HasPrefix(err.Error(), "scores.csv") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWriteCSVOfTheWorkedExample(t *testing.T) {
	rub, scores := exampleInput(t)
	rk, err := Rank(rub, scores, Options{MinJudgeScores: 3})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rk); err != nil {
		t.Fatal(err)
	}
	// Figures from TestRankHandComputed, rounded by hand (√415.36 = 20.38038…).
	want := `rank,application,score,judges,raw_mean,disagreement
1,APP-5,80.6663,2,63.0000,12.7279
2,APP-1,72.6663,2,75.0000,26.8701
3,APP-3,64.8761,2,62.0000,28.2843
4,APP-4,56.7239,2,58.0000,28.2843
5,APP-2,32.2675,2,46.0000,28.2843
`
	if b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteCSVQuotesReferencesAndShared(t *testing.T) {
	rk := &Ranking{Results: []Result{
		{Rank: 1, Application: "ACME, Inc.", Score: -0.00001, Judges: 1},
		{Rank: 1, Application: `say "hi"`, Score: 12.34567, Judges: 1, RawMean: 99.99996},
	}}
	var b bytes.Buffer
	if err := WriteCSV(&b, rk); err != nil {
		t.Fatal(err)
	}
	want := OutputHeader + "\n" +
		`1,"ACME, Inc.",0.0000,1,0.0000,0.0000` + "\n" +
		`1,"say ""hi""",12.3457,1,100.0000,0.0000` + "\n"
	if b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteJSONCarriesRankingJudgesAndWhatIf(t *testing.T) {
	rub, scores := exampleInput(t)
	opts := Options{MinJudgeScores: 3}
	rk, err := Rank(rub, scores, opts)
	if err != nil {
		t.Fatal(err)
	}
	totals, _ := Totals(rub, scores)
	wi, err := CompareMethods(totals, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, rk, wi); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method         string `json:"method"`
		MinJudgeScores int    `json:"min_judge_scores"`
		Results        []struct {
			Rank        int     `json:"rank"`
			Application string  `json:"application"`
			RawMean     float64 `json:"raw_mean"`
		} `json:"results"`
		Judges []struct {
			Judge  string `json:"judge"`
			Pooled bool   `json:"pooled"`
			Reason string `json:"reason"`
		} `json:"judges"`
		WhatIf struct {
			Base    string   `json:"base"`
			Methods []string `json:"methods"`
			Rows    []struct {
				Application string `json:"application"`
				Placements  []struct {
					Method string `json:"method"`
					Rank   int    `json:"rank"`
					Move   int    `json:"move"`
				} `json:"placements"`
			} `json:"rows"`
		} `json:"what_if"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if got.Method != "z" || got.MinJudgeScores != 3 || len(got.Results) != 5 ||
		got.Results[0].Application != "APP-5" || !near(got.Results[0].RawMean, 63) {
		t.Errorf("header or results wrong:\n%s", b.String())
	}
	if len(got.Judges) != 3 || got.Judges[2].Judge != "cleo" || !got.Judges[2].Pooled || got.Judges[2].Reason != "fewer than 3 scores" {
		t.Errorf("judges wrong: %+v", got.Judges)
	}
	if got.WhatIf.Base != "z" || strings.Join(got.WhatIf.Methods, ",") != "z,mean,median" ||
		got.WhatIf.Rows[0].Application != "APP-5" || got.WhatIf.Rows[0].Placements[1].Move != -1 {
		t.Errorf("what-if wrong: %+v", got.WhatIf)
	}
}

func TestScoreFileProblemsCarryACodeAndTheirValues(t *testing.T) {
	rubric := Rubric{Criteria: []Criterion{{Name: "Problem", Weight: 50, Min: 1, Max: 10}, {Name: "Team", Weight: 50, Min: 1, Max: 10}}}
	in := "judge,application,criterion,score\n" +
		"a@x,APP-1,Problem,11\n" +
		"a@x,APP-1,Team,5\n" +
		"nobody@x,APP-1,Problem,4\n"
	scores, err := ReadScoresCSV(strings.NewReader(in), "scores.csv", rubric)
	var got []*InputError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		got = append(got, e.(*InputError))
	}
	if len(got) != 2 {
		t.Fatalf("problems %v, want two", err)
	}
	if g := got[0]; g.Code != CodeOutOfRange || !reflect.DeepEqual(g.Args, []any{"11", "Problem", 1.0, 10.0}) {
		t.Errorf("out of range: %q %#v", g.Code, g.Args)
	}
	if g := got[1]; g.Code != CodeMissingCriteria || !reflect.DeepEqual(g.Args, []any{"nobody@x", "APP-1", []string{"Team"}}) {
		t.Errorf("missing: %q %#v", g.Code, g.Args)
	}
	if len(scores) != 2 || scores[1].Judge != "nobody@x" {
		t.Errorf("the rows read come back with the problems: %+v", scores)
	}
	if s, _ := ParseScoresCSV(strings.NewReader(in), "scores.csv", rubric); s != nil {
		t.Error("ParseScoresCSV returns scores with problems")
	}
}
