package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// replyView is reply for a result that needs its API shape first: view runs only when err is nil, so it may
// dereference what the service returned.
func replyView[T, V any](s *Server, c *gin.Context, status int, v T, err error, view func(T) V) {
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(status, view(v))
}

// viewsOf shapes each record of a service's list for the API; an empty or nil list gives [] rather than null.
func viewsOf[T, V any](in []T, view func(*T) V) []V {
	out := make([]V, len(in))
	for i := range in {
		out[i] = view(&in[i])
	}
	return out
}

// shapeList shapes each element of a list held inside a service's answer. Unlike viewsOf it keeps a nil list nil
// (null on the wire) and an empty one empty ([]), exactly as the service gave it.
func shapeList[T, V any](in []T, shape func(T) V) []V {
	if in == nil {
		return nil
	}
	out := make([]V, len(in))
	for i, v := range in {
		out[i] = shape(v)
	}
	return out
}

// Most routes on a record named by the path's ":id" read the id, call one service method with the signed-in
// user and answer what it returns. The helpers below are that handler once, so a route's handler only names the
// method and the shape of its answer.

// loadAt reads the record id from ":id" and calls load with it by the signed-in user. When ok is false it has
// answered: 404 for a malformed id, or what Fail makes of load's error.
func loadAt[T any](s *Server, c *gin.Context,
	load func(context.Context, *models.User, int64) (T, error)) (id int64, v T, ok bool) {
	if id, ok = s.PathID(c, "id"); !ok {
		return 0, v, false
	}
	v, err := load(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return 0, v, false
	}
	return id, v, true
}

// readAt answers 200 with what read returns about the record at ":id", shaped by view.
func readAt[T, V any](s *Server, c *gin.Context, read func(context.Context, *models.User, int64) (T, error), view func(T) V) {
	if _, v, ok := loadAt(s, c, read); ok {
		c.JSON(http.StatusOK, view(v))
	}
}

// actAt is readAt for a change that takes no body: act is audited with the request's meta.
func actAt[T, V any](s *Server, c *gin.Context,
	act func(context.Context, *models.User, int64, services.Meta) (T, error), view func(T) V) {
	readAt(s, c, func(ctx context.Context, u *models.User, id int64) (T, error) { return act(ctx, u, id, web.Meta(c)) }, view)
}

// removeAt answers 204 once remove has deleted the record at ":id", audited with the request's meta.
func removeAt(s *Server, c *gin.Context, remove func(context.Context, *models.User, int64, services.Meta) error) {
	if id, ok := s.PathID(c, "id"); ok {
		s.Reply(c, http.StatusNoContent, nil, remove(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c)))
	}
}

// inputAt is the handler of a route that changes the record at ":id" with a JSON body R whose input method gives
// what the service takes: bind reads the id and the body (IDAndBody, or a stricter one that refuses the caller
// before the body is read), change is audited with the request's meta, and its result, shaped by view, is the
// answer with status. R is named at the call; the rest follows from change.
func inputAt[R, I, T, V any, PR interface {
	*R
	input() I
}](s *Server, c *gin.Context, bind func(*gin.Context, any) (int64, bool), status int,
	change func(context.Context, *models.User, int64, I, services.Meta) (T, error), view func(T) V) {
	var req R
	if id, ok := bind(c, &req); ok {
		v, err := change(c.Request.Context(), web.CurrentUser(c), id, PR(&req).input(), web.Meta(c))
		replyView(s, c, status, v, err, view)
	}
}

// listView is the view of a list route answering {key: [...]}, each record shaped by view; none is [] (viewsOf).
func listView[T, V any](key string, view func(*T) V) func([]T) gin.H {
	return func(in []T) gin.H { return gin.H{key: viewsOf(in, view)} }
}

// listShape is listView for a list held as the service gave it: a nil list stays null (shapeList).
func listShape[T, V any](key string, shape func(T) V) func([]T) gin.H {
	return func(in []T) gin.H { return gin.H{key: shapeList(in, shape)} }
}
