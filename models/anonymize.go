package models

import (
	"context"
	"encoding/json"
)

// AnonymizeApplicationsOf removes what identifies a person from every application the user made — startup
// name, registration number, website, pitch texts, answers, team members' names, roles and emails, and the same in
// every submitted version's snapshot — while keeping what statistics count (edition, status, sector, district,
// stage, genders, age bands, founder/CEO flags, ownership, consent, women-led). Call it in the transaction that
// deletes the account (the right to erasure of Rwanda's law No 058/2021).
func (s *Store) AnonymizeApplicationsOf(ctx context.Context, userID int64) error {
	var ids []int64
	if err := s.conn(ctx).Model(&Application{}).Where("applicant_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return translate(err)
	}
	if len(ids) == 0 {
		return nil
	}
	blank := map[string]any{
		"startup_name": "—", "name_key": "—", "registration_number": "", "website": "",
		"one_liner": "", "problem": "", "solution": "", "market": "", "business_model": "", "traction": "",
		"competition": "", "impact": "", "use_of_prize": "", "answers": "{}",
	}
	if err := s.conn(ctx).Model(&Application{}).Where("id IN ?", ids).Updates(blank).Error; err != nil {
		return translate(err)
	}
	if err := s.conn(ctx).Model(&TeamMember{}).Where("application_id IN ?", ids).
		Updates(map[string]any{"name": "", "role": "", "email": ""}).Error; err != nil {
		return translate(err)
	}
	var versions []ApplicationVersion
	if err := s.conn(ctx).Where("application_id IN ?", ids).Find(&versions).Error; err != nil {
		return translate(err)
	}
	for _, v := range versions {
		scrubbed, err := scrubSnapshot(v.Snapshot)
		if err != nil {
			return err
		}
		if err := s.conn(ctx).Model(&ApplicationVersion{}).Where("id = ?", v.ID).Update("snapshot", scrubbed).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// scrubSnapshot blanks the identifying fields of a version snapshot (JSON), leaving the rest as it was.
func scrubSnapshot(raw string) (string, error) {
	if raw == "" {
		return raw, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return "{}", nil // unreadable: keep nothing rather than something personal
	}
	for _, k := range []string{"registration_number", "website"} {
		if _, ok := m[k]; ok {
			m[k] = ""
		}
	}
	if _, ok := m["startup_name"]; ok {
		m["startup_name"] = "—"
	}
	if pitch, ok := m["pitch"].(map[string]any); ok {
		for k := range pitch {
			pitch[k] = ""
		}
	}
	if answers, ok := m["answers"].([]any); ok {
		for _, a := range answers {
			if am, ok := a.(map[string]any); ok {
				for k := range am {
					if k == "answer" || k == "value" {
						am[k] = ""
					}
				}
			}
		}
	}
	if team, ok := m["team"].([]any); ok {
		for _, t := range team {
			if tm, ok := t.(map[string]any); ok {
				tm["name"], tm["role"] = "", ""
			}
		}
	}
	b, err := json.Marshal(m)
	return string(b), err
}
