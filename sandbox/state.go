package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/callsheet/callsheet/internal/atomicfile"
)

// Files a Server keeps in Config.StateDir, each with mode 0600.
const (
	// StateFileName holds the instance ID, the codes and token pairs
	// issued and, under Config.Seed, where the seeded streams stand.
	StateFileName = "state.json"
	// CertFileName is the certificate, for clients' --cacert.
	CertFileName = "cert.pem"
	// KeyFileName is the certificate's private key.
	KeyFileName = "key.pem"
)

// stateVersion is the version of the state file's format.
const stateVersion = 1

// stateSaveInterval is the least time between two writes of the state
// file while the server runs; Close writes it once more.
const stateSaveInterval = 100 * time.Millisecond

// stateFile is what a Sandbox keeps across restarts.
type stateFile struct {
	Version  int    `json:"version"`
	Instance string `json:"instance"`
	// Seed identifies Config.Seed (a hash, empty without one); the
	// streams are restored only under the same seed.
	Seed        string      `json:"seed,omitempty"`
	TokenStream []byte      `json:"token_stream,omitempty"`
	FaultStream []byte      `json:"fault_stream,omitempty"`
	Codes       []savedCode `json:"codes"`
	Tokens      []savedPair `json:"tokens"`
}

type savedCode struct {
	Code        string    `json:"code"`
	ClientID    string    `json:"client_id"`
	RedirectURI string    `json:"redirect_uri"`
	UserID      int64     `json:"user_id"`
	Expires     time.Time `json:"expires"`
}

type savedPair struct {
	Access   string    `json:"access_token"`
	Refresh  string    `json:"refresh_token,omitempty"`
	ClientID string    `json:"client_id"`
	OwnerID  int64     `json:"owner_id"`
	Service  bool      `json:"service,omitempty"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	Revoked  bool      `json:"revoked,omitempty"`
}

// seedID identifies a seed in the state file without writing it out.
func seedID(seed string) string {
	if seed == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("callsheet sandbox seed\x00" + seed))
	return hex.EncodeToString(sum[:])
}

// snapshot returns what the sandbox keeps across restarts, oldest first.
func (s *Sandbox) snapshot() (stateFile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := stateFile{Version: stateVersion, Instance: s.instance, Codes: []savedCode{}, Tokens: []savedPair{}}
	for _, code := range s.codeOrder {
		if g := s.codes[code]; g != nil {
			st.Codes = append(st.Codes, savedCode{code, g.clientID, g.redirectURI, g.userID, g.expires})
		}
	}
	for _, t := range s.pairOrder {
		st.Tokens = append(st.Tokens, savedPair{t.access, t.refresh, t.clientID, t.ownerID, t.service, t.created, t.expires, t.revoked})
	}
	if s.tokenStream != nil {
		st.Seed = seedID(s.cfg.Seed)
		var err1, err2 error
		st.TokenStream, err1 = s.tokenStream.MarshalBinary()
		st.FaultStream, err2 = s.faultStream.MarshalBinary()
		if err := errors.Join(err1, err2); err != nil {
			return stateFile{}, fmt.Errorf("sandbox: save the seeded streams: %w", err)
		}
	}
	return st, nil
}

// restore takes over st: the instance ID, the codes and token pairs and,
// under the same seed, the streams. Call it before serving.
func (s *Sandbox) restore(st stateFile) error {
	if err := st.check(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.instance = st.Instance
	if s.tokenStream != nil && st.Seed == seedID(s.cfg.Seed) && st.TokenStream != nil {
		if err := errors.Join(s.tokenStream.UnmarshalBinary(st.TokenStream), s.faultStream.UnmarshalBinary(st.FaultStream)); err != nil {
			return fmt.Errorf("the seeded streams: %w", err)
		}
	}
	for _, c := range st.Codes {
		s.addCodeLocked(c.Code, &grant{clientID: c.ClientID, redirectURI: c.RedirectURI, userID: c.UserID, expires: c.Expires})
	}
	for _, p := range st.Tokens {
		s.addPairLocked(&tokenPair{
			access: p.Access, refresh: p.Refresh, clientID: p.ClientID, ownerID: p.OwnerID,
			service: p.Service, created: p.Created, expires: p.Expires, revoked: p.Revoked,
		})
	}
	return nil
}

// check reports what in st cannot be taken over.
func (st stateFile) check() error {
	if st.Version != stateVersion {
		return fmt.Errorf("version %d: want %d", st.Version, stateVersion)
	}
	if st.Instance == "" {
		return errors.New("no instance ID")
	}
	for i, c := range st.Codes {
		if c.Code == "" {
			return fmt.Errorf("code %d is empty", i)
		}
	}
	for i, p := range st.Tokens {
		if p.Access == "" {
			return fmt.Errorf("token pair %d has no access token", i)
		}
	}
	return nil
}

// loadState restores sb from the state file in dir, if there is one.
func loadState(sb *Sandbox, dir string) error {
	path := filepath.Join(dir, StateFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sandbox: read state: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st stateFile
	if err = dec.Decode(&st); err == nil {
		err = sb.restore(st)
	}
	if err != nil {
		return fmt.Errorf("sandbox: state file %s: %w (remove it to start afresh)", path, err)
	}
	return nil
}

// saveState writes sb's state to the state file in dir, atomically.
func saveState(sb *Sandbox, dir string) error {
	st, err := sb.snapshot()
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, StateFileName), 0o600, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(st)
	})
}

// stateSaver writes a sandbox's state after it changes, at most once per
// stateSaveInterval, and once more when stopped.
type stateSaver struct {
	sb   *Sandbox
	dir  string
	kick chan struct{} // a change waits to be saved
	stop chan struct{}
	done chan struct{}
	err  error // of the last write; read once done is closed
}

// startSaver starts saving sb to dir. Call it before serving.
func startSaver(sb *Sandbox, dir string) *stateSaver {
	v := &stateSaver{sb: sb, dir: dir, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	sb.mu.Lock()
	sb.onChange = func() {
		select {
		case v.kick <- struct{}{}:
		default: // a save is already due
		}
	}
	sb.mu.Unlock()
	go v.run()
	return v
}

func (v *stateSaver) run() {
	defer close(v.done)
	for {
		select {
		case <-v.stop:
			v.err = saveState(v.sb, v.dir)
			return
		case <-v.kick:
			v.err = saveState(v.sb, v.dir)
			t := time.NewTimer(stateSaveInterval)
			select {
			case <-t.C:
			case <-v.stop:
			}
			t.Stop()
		}
	}
}

// close saves the state a last time and returns the error of that write.
func (v *stateSaver) close() error {
	close(v.stop)
	<-v.done
	return v.err
}
