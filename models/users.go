package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Role is what a user may do. A user can hold several (a judge who also applies in another edition).
type Role string

// The four roles.
const (
	RoleApplicant Role = "applicant" // anyone who registers
	RoleJudge     Role = "judge"     // invited by an organizer
	RoleOrganizer Role = "organizer" // runs editions; invited by an admin
	RoleAdmin     Role = "admin"     // manages organizers and settings
)

// Roles lists every role, lowest first.
var Roles = []Role{RoleApplicant, RoleJudge, RoleOrganizer, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person with an account. Email is the login; EmailNorm (trimmed, lower-cased) is what is unique, so
// "Aline@Example.rw" and "aline@example.rw" are one account.
type User struct {
	ID              int64
	Email           string
	EmailNorm       string
	Name            string
	PasswordHash    string // empty until an invited person sets one
	Lang            string
	Gender          string // self-declared, optional: only for judge panel statistics, see SetUserGender
	EmailVerifiedAt *time.Time
	DisabledAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time

	Roles []Role `gorm:"-"`
}

// TableName pins the table name.
func (User) TableName() string { return "users" }

// Has reports whether the user holds role.
func (u *User) Has(role Role) bool { return u != nil && slices.Contains(u.Roles, role) }

// Verified reports whether the user proved they own the email address.
func (u *User) Verified() bool { return u != nil && u.EmailVerifiedAt != nil }

// NormalizeEmail is the one place that decides when two spellings are the same address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

type userRole struct {
	UserID    int64
	Role      Role
	GrantedBy *int64
	CreatedAt time.Time
}

func (userRole) TableName() string { return "user_roles" }

// CreateUser inserts u with the given roles. ErrConflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, u *User, roles ...Role) error {
	u.EmailNorm = NormalizeEmail(u.Email)
	return s.Tx(ctx, func(tx *Store) error {
		if err := translate(tx.conn(ctx).Omit("Roles").Create(u).Error); err != nil {
			return err
		}
		for _, r := range roles {
			if err := tx.AddRole(ctx, u.ID, r, nil); err != nil {
				return err
			}
		}
		u.Roles = slices.Clone(roles)
		return nil
	})
}

// UserByID loads a user with roles, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	return s.loadUser(ctx, s.conn(ctx).Where("id = ?", id))
}

// UserByEmail loads a user by any spelling of their email, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.loadUser(ctx, s.conn(ctx).Where("email_norm = ?", NormalizeEmail(email)))
}

func (s *Store) loadUser(ctx context.Context, q *gorm.DB) (*User, error) {
	var u User
	if err := q.Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	var roles []userRole
	if err := s.conn(ctx).Where("user_id = ?", u.ID).Order("role").Find(&roles).Error; err != nil {
		return nil, err
	}
	for _, r := range roles {
		u.Roles = append(u.Roles, r.Role)
	}
	return &u, nil
}

// ActiveUsersWithRole lists the accounts that hold role and are not disabled, by name: the judges an organizer
// can seat on a panel.
func (s *Store) ActiveUsersWithRole(ctx context.Context, role Role) ([]User, error) {
	var out []User
	err := s.conn(ctx).Where("disabled_at IS NULL AND id IN (SELECT user_id FROM user_roles WHERE role = ?)", role).
		Order("name, id").Find(&out).Error
	return out, translate(err)
}

// CountUsers returns how many accounts exist; the first start uses it to offer the one-time setup link.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	return n, s.conn(ctx).Model(&User{}).Count(&n).Error
}

// UpdateUser saves the user's own editable fields (name, language).
func (s *Store) UpdateUser(ctx context.Context, u *User) error {
	res := s.conn(ctx).Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
		"name": u.Name, "lang": u.Lang, "updated_at": DBTime(time.Now()),
	})
	return rowsOrNotFound(res)
}

// SetUserGender saves the user's self-declared gender: woman, man, another, prefer_not_to_say, or empty (not
// answered); the caller validated it. It is asked only so that statistics can report judge panels by gender,
// and is never shown to anyone else. ErrNotFound for no such user.
func (s *Store) SetUserGender(ctx context.Context, userID int64, gender string) error {
	res := s.conn(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"gender": gender, "updated_at": DBTime(time.Now()),
	})
	return rowsOrNotFound(res)
}

// SetPasswordHash stores a new password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	res := s.conn(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"password_hash": hash, "updated_at": DBTime(time.Now()),
	})
	return rowsOrNotFound(res)
}

// MarkEmailVerified records when the user proved the address.
func (s *Store) MarkEmailVerified(ctx context.Context, userID int64, at time.Time) error {
	res := s.conn(ctx).Model(&User{}).Where("id = ? AND email_verified_at IS NULL", userID).
		Update("email_verified_at", DBTime(at))
	return translate(res.Error)
}

// SetUserEmail moves the account to a new address, proved at (the link mailed to it was followed), so it is
// verified too. ErrConflict when another account has the address; ErrNotFound for no such user.
func (s *Store) SetUserEmail(ctx context.Context, userID int64, email string, at time.Time) error {
	res := s.conn(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"email": strings.TrimSpace(email), "email_norm": NormalizeEmail(email), "email_verified_at": DBTime(at), "updated_at": DBTime(at),
	})
	return rowsOrNotFound(res)
}

// SetDisabled disables (at non-nil) or re-enables an account.
func (s *Store) SetDisabled(ctx context.Context, userID int64, at *time.Time) error {
	if at != nil {
		t := DBTime(*at)
		at = &t
	}
	return rowsOrNotFound(s.conn(ctx).Model(&User{}).Where("id = ?", userID).Update("disabled_at", at))
}

// AddRole grants role; granting a role the user already holds is not an error.
func (s *Store) AddRole(ctx context.Context, userID int64, role Role, grantedBy *int64) error {
	if !role.Valid() {
		return NewValidationError("role", "is not a known role")
	}
	r := userRole{UserID: userID, Role: role, GrantedBy: grantedBy, CreatedAt: DBTime(time.Now())}
	return translate(s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error)
}

// RemoveRole takes role away; removing a role the user lacks is not an error.
func (s *Store) RemoveRole(ctx context.Context, userID int64, role Role) error {
	return translate(s.conn(ctx).Where("user_id = ? AND role = ?", userID, role).Delete(&userRole{}).Error)
}

// LockActiveAdmins returns the ids of the enabled accounts holding the admin role, locking their rows until the
// transaction ends (on PostgreSQL; SQLite transactions here are already serialized), so two admins disabling
// each other at once cannot both succeed and leave nobody to manage users.
func (s *Store) LockActiveAdmins(ctx context.Context) ([]int64, error) {
	var ids []int64
	q := s.conn(ctx).Model(&User{}).Where("disabled_at IS NULL AND id IN (?)",
		s.conn(ctx).Model(&userRole{}).Select("user_id").Where("role = ?", RoleAdmin)).Order("id")
	err := s.lockForUpdate(q).Pluck("id", &ids).Error
	return ids, translate(err)
}

// DeleteUser removes the account row; sessions, tokens and roles go with it (ON DELETE CASCADE).
func (s *Store) DeleteUser(ctx context.Context, userID int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", userID).Delete(&User{}))
}

func rowsOrNotFound(res *gorm.DB) error {
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
