package handlers_test

// Authorization matrix row of the deck page: the owner and staff see it (staff without the upload
// form); a visitor is sent to sign in; for anyone else the application does not exist.

func init() {
	matrix = append(matrix,
		row{method: "GET", path: "/applications/:id/deck", want: expect{see, ok, notFound, notFound, ok, ok}, id: deckApplication},
	)
}
