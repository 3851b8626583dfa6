package frontend

// Local is what an organizer wrote, in the page's language: the translation in translations (language → text)
// when there is one, else main, the organizer's main text. Templates call {{$.Local .Name .NameI18n}}.
func (p Page) Local(main string, translations map[string]string) string {
	if v := translations[p.Lang]; v != "" {
		return v
	}
	return main
}
