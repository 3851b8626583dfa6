package services

// Hooks for password_test.go (package services_test, which needs testutil and so cannot be internal).

// HashSlots is the semaphore bounding concurrent argon2id computations.
var HashSlots = hashSlots

// SwapArgonKey replaces the argon2id function (to count how many run at once) and returns a restore func.
// Tests using it must not run in parallel with tests that hash passwords.
func SwapArgonKey(f func(pw, salt []byte, t, m uint32, threads uint8, keyLen uint32) []byte) (restore func()) {
	old := argonKey
	argonKey = f
	return func() { argonKey = old }
}
