package session

// InputError is a mistake in what a session was given rather than in a
// run: a data, env or state file that cannot be read, a shard that does
// not parse, a step name no collection has. Nothing was sent. Err's text
// names the option, as the command line spells it (--data, --env).
type InputError struct {
	Err error
	// Hint is an optional suggestion, such as `did you mean "login"?`.
	Hint string
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// inputError wraps err as an *InputError; nil stays nil.
func inputError(err error) error {
	if err == nil {
		return nil
	}
	return &InputError{Err: err}
}
