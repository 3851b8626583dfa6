package services

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/scoring"
)

// CriterionInput is one criterion as an organizer writes it. ID is zero for a new criterion and the stored ID
// to keep one (scores refer to criteria by ID, so renaming keeps them).
type CriterionInput struct {
	ID          int64
	Name        models.Texts
	Description models.Texts
	Descriptors models.Descriptors
	Weight      float64
	ScaleMin    int
	ScaleMax    int
}

// Rubric limits: enough for any real rubric, small enough that a judge's phone shows it comfortably.
const (
	maxCriteria       = 20
	maxDescriptors    = 10
	maxCriterionName  = 120
	maxCriterionDesc  = 2000
	maxDescriptorText = 500
	maxScale          = 100
)

// uiLanguages are the languages a rubric text may be written in.
var uiLanguages = map[string]bool{"en": true, "fr": true, "rw": true}

func checkTexts(v *models.ValidationError, field string, t models.Texts, limit int, required bool) models.Texts {
	out := models.Texts{}
	for lang, s := range t {
		if !uiLanguages[lang] {
			v.Fields[field] = "judging.rubric.language"
			continue
		}
		s = strings.TrimSpace(s)
		checkLen(v, field+"."+lang, s, limit) // the limit said, since the form lets a longer text through
		if s != "" {
			out[lang] = s
		}
	}
	if required && out["en"] == "" {
		v.Fields[field+".en"] = "judging.rubric.name_required"
	}
	return out
}

// checkWeights reports a rubric that cannot be scored against: no criteria, or weights that do not add up to
// 100.
func checkWeights(cs []models.Criterion) *models.ValidationError {
	if len(cs) == 0 {
		return models.NewValidationError("criteria", "judging.rubric.empty")
	}
	weights := make([]float64, len(cs))
	for i, c := range cs {
		weights[i] = c.Weight
	}
	if !scoring.WeightsAddUp(weights) {
		return models.NewValidationError("weights", "judging.rubric.weights")
	}
	return nil
}

// validateRubric checks a whole rubric and returns it normalized (texts trimmed, empty languages dropped).
func validateRubric(in []CriterionInput) ([]models.Criterion, *models.ValidationError) {
	v := models.NewValidationError()
	if len(in) == 0 {
		v.Fields["criteria"] = "judging.rubric.empty"
		return nil, v
	}
	if len(in) > maxCriteria {
		v.Fields["criteria"] = "judging.rubric.too_many"
		return nil, v
	}
	out := make([]models.Criterion, len(in))
	names := map[string]bool{}
	ids := map[int64]bool{}
	weights, weightsOK := make([]float64, 0, len(in)), true
	for i, c := range in {
		f := fmt.Sprintf("criteria.%d", i)
		name := checkTexts(v, f+".name", c.Name, maxCriterionName, true)
		desc := checkTexts(v, f+".description", c.Description, maxCriterionDesc, false)
		// The English name names the criterion in exports (rubric.csv, scores.csv), so it must be unique.
		if k := strings.ToLower(name["en"]); k != "" {
			if names[k] {
				v.Fields[f+".name.en"] = "judging.rubric.name_taken"
			}
			names[k] = true
		}
		if c.ID != 0 {
			if ids[c.ID] {
				v.Fields[f+".id"] = "judging.rubric.unknown_criterion"
			}
			ids[c.ID] = true
		}
		if math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) || c.Weight <= 0 || c.Weight > scoring.WeightTotal {
			v.Fields[f+".weight"] = "judging.rubric.weight"
			weightsOK = false
		} else {
			weights = append(weights, c.Weight)
		}
		if c.ScaleMin < 0 || c.ScaleMax > maxScale || c.ScaleMin >= c.ScaleMax {
			v.Fields[f+".scale"] = "judging.rubric.scale"
		}
		if len(c.Descriptors) > maxDescriptors {
			v.Fields[f+".descriptors"] = "judging.rubric.too_many_descriptors"
		}
		ds := make(models.Descriptors, 0, len(c.Descriptors))
		for k, d := range c.Descriptors {
			df := fmt.Sprintf("%s.descriptors.%d", f, k)
			if d.Min > d.Max || d.Min < c.ScaleMin || d.Max > c.ScaleMax {
				v.Fields[df+".range"] = "judging.rubric.descriptor_range"
			}
			ds = append(ds, models.Descriptor{Min: d.Min, Max: d.Max, Text: checkTexts(v, df+".text", d.Text, maxDescriptorText, false)})
		}
		out[i] = models.Criterion{ID: c.ID, Name: name, Description: desc, Descriptors: ds, Weight: c.Weight,
			ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax}
	}
	if weightsOK && !scoring.WeightsAddUp(weights) {
		v.Fields["weights"] = "judging.rubric.weights"
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	return out, nil
}

// Rubric returns a round's criteria in order, to staff and to judges with work in the round (others get
// ErrForbidden or ErrNotFound).
func (j *Judging) Rubric(ctx context.Context, actor *models.User, roundID int64) ([]models.Criterion, error) {
	if err := requireJudgeOrStaff(actor); err != nil {
		return nil, err
	}
	if !policy.CanManageJudging(actor) {
		as, err := j.visibleAssignments(ctx, j.Store, roundID, actor.ID)
		if err != nil {
			return nil, err
		}
		if len(as) == 0 {
			return nil, models.ErrNotFound
		}
	} else if _, err := j.Store.RoundByID(ctx, roundID); err != nil {
		return nil, err
	}
	return j.Store.CriteriaByRound(ctx, roundID)
}

// SetRubric replaces a round's rubric. Weights must add up to 100 (judging.rubric.weights) and every criterion
// needs an English name, unique in the rubric, since exports name criteria by it. Once the first score is
// submitted the weights, scales and the set of criteria are locked (judging.rubric.locked); names, descriptions
// and descriptors stay editable so a typo can still be fixed. A closed round refuses (ErrConflict).
func (j *Judging) SetRubric(ctx context.Context, actor *models.User, roundID int64, in []CriterionInput, meta Meta) ([]models.Criterion, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	cs, v := validateRubric(in)
	if v != nil {
		return nil, v
	}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		old, err := tx.CriteriaByRound(ctx, roundID)
		if err != nil {
			return err
		}
		byID := make(map[int64]models.Criterion, len(old))
		for _, c := range old {
			byID[c.ID] = c
		}
		for i, c := range cs {
			if c.ID != 0 && byID[c.ID].ID == 0 {
				return models.NewValidationError(fmt.Sprintf("criteria.%d.id", i), "judging.rubric.unknown_criterion")
			}
		}
		if r.RubricLockedAt != nil {
			if len(cs) != len(old) {
				return models.NewValidationError("criteria", "judging.rubric.locked")
			}
			for _, c := range cs {
				o, ok := byID[c.ID]
				if !ok || o.Weight != c.Weight || o.ScaleMin != c.ScaleMin || o.ScaleMax != c.ScaleMax {
					return models.NewValidationError("criteria", "judging.rubric.locked")
				}
			}
		}
		if err := tx.ReplaceCriteria(ctx, roundID, cs); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.rubric_set", roundSubject(roundID), fmt.Sprintf("criteria=%d", len(cs)), meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.CriteriaByRound(ctx, roundID)
}

// ApplyTemplate replaces a round's rubric with HangaTemplate; like SetRubric, it is refused once the rubric is
// locked.
func (j *Judging) ApplyTemplate(ctx context.Context, actor *models.User, roundID int64, meta Meta) ([]models.Criterion, error) {
	return j.SetRubric(ctx, actor, roundID, HangaTemplate(), meta)
}

// CopyRubric replaces a round's rubric with a copy of another round's, of this edition or an earlier one, so a
// programme keeps the rubric it refined year after year (the round itself, or none, is rubric.pick_round); like
// SetRubric, it is refused once the rubric is locked.
func (j *Judging) CopyRubric(ctx context.Context, actor *models.User, roundID, fromID int64, meta Meta) ([]models.Criterion, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	src, err := j.Store.RoundByID(ctx, fromID)
	if isNotFound(err) || err == nil && src.ID == r.ID {
		return nil, models.NewValidationError("from", "rubric.pick_round")
	} else if err != nil {
		return nil, err
	}
	cs, err := j.Store.CriteriaByRound(ctx, fromID)
	if err != nil {
		return nil, err
	}
	in := make([]CriterionInput, len(cs))
	for i, c := range cs {
		in[i] = CriterionInput{Name: c.Name, Description: c.Description, Descriptors: c.Descriptors, Weight: c.Weight,
			ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax}
	}
	return j.SetRubric(ctx, actor, roundID, in, meta)
}

// bands are the four score bands of the template's 1–10 scale, with what each means.
var bands = []models.Descriptor{
	{Min: 1, Max: 3, Text: models.Texts{
		"en": "Weak: little or no evidence.",
		"fr": "Faible : peu ou pas d'éléments probants.",
		"rw": "Biri hasi: nta bimenyetso, cyangwa ni bike cyane."}},
	{Min: 4, Max: 6, Text: models.Texts{
		"en": "Fair: promising, with clear gaps.",
		"fr": "Moyen : prometteur, avec des lacunes nettes.",
		"rw": "Biringaniye: bitanga icyizere ariko hari ibibura bigaragara."}},
	{Min: 7, Max: 8, Text: models.Texts{
		"en": "Strong: convincing and backed by evidence.",
		"fr": "Solide : convaincant et étayé par des preuves.",
		"rw": "Bikomeye: birumvikana kandi bifite ibimenyetso."}},
	{Min: 9, Max: 10, Text: models.Texts{
		"en": "Exceptional: among the best you have seen.",
		"fr": "Exceptionnel : parmi les meilleurs que vous ayez vus.",
		"rw": "Indashyikirwa: biri mu byiza cyane wabonye."}},
}

// HangaTemplate is a ready rubric modelled on Hanga Pitchfest's selection criteria: six criteria on a 1–10
// scale, weighted to 100, in English, French and Kinyarwanda. Organizers start from it and adjust, which is
// faster and more consistent than writing a rubric from nothing every year.
func HangaTemplate() []CriterionInput {
	type c struct {
		weight     float64
		name, desc models.Texts
	}
	list := []c{
		{20, models.Texts{"en": "Problem & solution", "fr": "Problème et solution", "rw": "Ikibazo n'igisubizo"},
			models.Texts{
				"en": "Is the problem real, important and well understood? Does the solution solve it convincingly?",
				"fr": "Le problème est-il réel, important et bien compris ? La solution le résout-elle de façon convaincante ?",
				"rw": "Ikibazo kirahari koko, gifite akamaro kandi cyumvikana neza? Igisubizo gitangwa kigikemura mu buryo bwizewe?"}},
		{15, models.Texts{"en": "Innovation", "fr": "Innovation", "rw": "Guhanga udushya"},
			models.Texts{
				"en": "How new is the approach compared with what already exists, in Rwanda and beyond?",
				"fr": "L'approche est-elle nouvelle par rapport à ce qui existe déjà, au Rwanda et ailleurs ?",
				"rw": "Uburyo bukoreshwa ni bushya ku rugero rungana iki ugereranyije n'ibisanzwe biriho, mu Rwanda no hanze yarwo?"}},
		{20, models.Texts{"en": "Market & scalability", "fr": "Marché et potentiel de croissance", "rw": "Isoko n'ubushobozi bwo kwaguka"},
			models.Texts{
				"en": "Is the market large and within reach, and can the business grow well beyond its first customers?",
				"fr": "Le marché est-il vaste et accessible, et l'entreprise peut-elle croître bien au-delà de ses premiers clients ?",
				"rw": "Isoko ni rinini kandi rirashoboka kugerwaho? Umushinga ushobora gukura ukarenga kure abakiriya bawo ba mbere?"}},
		{15, models.Texts{"en": "Business model & traction", "fr": "Modèle économique et traction", "rw": "Uburyo bwo kwinjiza amafaranga n'aho umushinga ugeze"},
			models.Texts{
				"en": "Does the business make money, or have a clear plan to, and is there evidence of demand (users, sales, partners)?",
				"fr": "L'entreprise gagne-t-elle de l'argent, ou a-t-elle un plan clair pour y parvenir, et la demande est-elle démontrée (utilisateurs, ventes, partenaires) ?",
				"rw": "Umushinga urinjiza amafaranga cyangwa ufite gahunda isobanutse yo kuyinjiza? Hari ibimenyetso by'uko abantu bawukeneye (abawukoresha, ibyagurishijwe, abafatanyabikorwa)?"}},
		{15, models.Texts{"en": "Team", "fr": "Équipe", "rw": "Itsinda"},
			models.Texts{
				"en": "Does the team have the skills, commitment and complementarity to deliver?",
				"fr": "L'équipe a-t-elle les compétences, l'engagement et la complémentarité nécessaires pour réussir ?",
				"rw": "Itsinda rifite ubumenyi, ubushake n'ubwuzuzanye bikenewe kugira ngo rigere ku ntego?"}},
		{15, models.Texts{"en": "Impact & jobs", "fr": "Impact et emplois", "rw": "Akamaro ku muryango n'imirimo ihangwa"},
			models.Texts{
				"en": "What social, economic or environmental impact does it have, and how many decent jobs can it create?",
				"fr": "Quel impact social, économique ou environnemental a-t-elle, et combien d'emplois décents peut-elle créer ?",
				"rw": "Ugira uruhe ruhare mu mibereho y'abantu, mu bukungu cyangwa ku bidukikije, kandi ushobora guhanga imirimo myiza ingahe?"}},
	}
	out := make([]CriterionInput, len(list))
	for i, x := range list {
		ds := make(models.Descriptors, len(bands))
		copy(ds, bands)
		out[i] = CriterionInput{Name: x.name, Description: x.desc, Descriptors: ds, Weight: x.weight, ScaleMin: 1, ScaleMax: 10}
	}
	return out
}
