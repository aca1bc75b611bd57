// Package runner runs a loaded collection: it renders each step's templates
// against an explicit scope, sends the requests in order with one HTTP client
// (one cookie jar per run), evaluates the checks into CheckResult values,
// stores captures for later steps and returns everything as a *Result.
//
// The package never writes to the terminal and never exits: the command line
// renders a Result. Every string a Result holds (URLs, headers, bodies,
// actual and expected values, error messages) is masked: the values of
// secret variables and captures, and the credentials of Authorization,
// Proxy-Authorization, Cookie and Set-Cookie headers, read "***".
//
// Values keep their JSON types from the response to the report: a JSON
// integer becomes an int64 parsed from its literal (never through float64),
// or a *big.Int beyond int64; a decimal becomes a float64 when its text is a
// float64's shortest form, else an exact collections.Decimal. Numbers
// compare exactly whatever their types, and 200 never equals "200".
package runner
