package mask

import (
	"errors"
	"net/url"
	"reflect"
)

// Copier is an error that can make a copy of itself whose text is masked
// by m, and whose wrapped errors are masked errors of m: errors.As hands
// that copy back from a masked error, so an error type that keeps texts
// (a URL, a message) implements it to stay reachable through errors.As.
type Copier interface {
	error
	MaskedCopy(m *Masker) error
}

// Err returns err with its message masked: Error masks with the secrets
// known when it is called. nil stays nil, and an error m masked already is
// returned as it is.
//
// The masked error has no Unwrap: the errors it wraps would read
// unmasked. errors.Is sees through it to the whole chain. errors.As finds
// an error in the chain and hands back
//
//   - for a Copier, its MaskedCopy;
//   - for a *url.Error, a copy whose URL is masked and whose Err is masked
//     by m (its Timeout then reads false: the wrapped error is hidden);
//   - for any other error, the error itself when its text shows no
//     secret known now;
//
// and finds nothing when the error it found shows a secret and cannot be
// copied masked.
func (m *Masker) Err(err error) error {
	if err == nil {
		return nil
	}
	if me, ok := err.(*maskedError); ok && me.m == m {
		return err
	}
	return &maskedError{err: err, m: m}
}

// maskedError is an error whose message is masked by m.
type maskedError struct {
	err error
	m   *Masker
}

// Error returns the message with every secret known now masked.
func (e *maskedError) Error() string { return e.m.String(e.err.Error()) }

// Is reports whether an error in the chain is target.
func (e *maskedError) Is(target error) bool { return errors.Is(e.err, target) }

// As sets target to an error of the chain, masked (see Masker.Err).
func (e *maskedError) As(target any) bool {
	if !errors.As(e.err, target) {
		return false
	}
	v := reflect.ValueOf(target).Elem()
	if c := e.masked(v.Interface()); c != nil && reflect.TypeOf(c).AssignableTo(v.Type()) {
		v.Set(reflect.ValueOf(c))
		return true
	}
	v.SetZero()
	return false
}

// masked returns found, an error of the chain, in a form that shows no
// secret, or nil when there is none.
func (e *maskedError) masked(found any) any {
	switch f := found.(type) {
	case Copier:
		return f.MaskedCopy(e.m)
	case *url.Error:
		return &url.Error{Op: f.Op, URL: e.m.String(f.URL), Err: e.m.Err(f.Err)}
	case error:
		if !e.m.Contains(f.Error()) {
			return f
		}
	}
	return nil
}
