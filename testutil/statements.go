package testutil

import (
	"context"
	"sync"
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

// StatementLog is st seen through a log of the SQL statements it sends: a test of a read that must not touch
// a table (data a page does not show) checks their text, not only their count.
func StatementLog(st *models.Store) (*models.Store, func() []string) {
	c := &statementLog{Interface: logger.Discard}
	return models.NewStore(st.DB().Session(&gorm.Session{Logger: c}), st.Dialect()), c.all
}

type statementLog struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

func (c *statementLog) LogMode(logger.LogLevel) logger.Interface { return c }

func (c *statementLog) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	c.mu.Lock()
	c.sql = append(c.sql, sql)
	c.mu.Unlock()
}

func (c *statementLog) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.sql...)
}
