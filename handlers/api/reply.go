package api

import "github.com/gin-gonic/gin"

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
