package testutil

import (
	"context"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/pitchfest/pitchfest/models"
)

// Statements is st seen through a counter of the SQL statements it sends: a test of work done in bulk runs it
// on a few thousand rows and checks the count stays a handful, which fails when the work goes back to one
// statement per row (fast in a test, minutes at continental size).
func Statements(st *models.Store) (*models.Store, func() int64) {
	c := &statementCounter{Interface: logger.Discard}
	return models.NewStore(st.DB().Session(&gorm.Session{Logger: c}), st.Dialect()), c.n.Load
}

type statementCounter struct {
	logger.Interface
	n atomic.Int64
}

func (c *statementCounter) LogMode(logger.LogLevel) logger.Interface { return c }

func (c *statementCounter) Trace(context.Context, time.Time, func() (string, int64), error) {
	c.n.Add(1)
}
