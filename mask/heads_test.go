package mask

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestHeadsEmpty: a masker with no secrets lets no place start a form.
func TestHeadsEmpty(t *testing.T) {
	m := New()
	for _, s := range []string{"abc", "\x00\x00\x00", "\xff\xff\xff"} {
		if m.forms.mayStart(key(s, 0)) {
			t.Errorf("mayStart(%q) on an empty masker = true", s)
		}
	}
}

// TestHeadsSize adds keys one at a time: the bit set stays the smallest
// power of two of at least minHeadBits and headBitsPerKey bits a key, and
// the keys' hashes spread over all of it.
func TestHeadsSize(t *testing.T) {
	var mt matcher
	r := rand.New(rand.NewPCG(3, 4))
	for n := 1; n <= 1100; n++ {
		for {
			s := string([]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
			if _, ok := mt.keys[key(s, 0)]; !ok {
				mt.add(s)
				break
			}
		}
		size := 64 * len(mt.heads)
		want := max(minHeadBits, headBitsPerKey*n)
		if bits.OnesCount(uint(size)) != 1 || size < want || (size > minHeadBits && size/2 >= want) {
			t.Fatalf("%d keys: the bit set has %d bits, want the smallest power of two of at least %d", n, size, want)
		}
	}
	size := uint32(64 * len(mt.heads))
	var upper int
	for k := range mt.keys {
		h := mt.hash(k)
		if h >= size {
			t.Fatalf("hash(%#x) = %d, past the %d bits of the set", k, h, size)
		}
		if h >= size/2 {
			upper++
		}
	}
	// The hashes of 1100 keys fall about half in each half of the set.
	if upper < len(mt.keys)/4 || upper > 3*len(mt.keys)/4 {
		t.Errorf("%d of %d keys hash to the upper half of the set, want about half", upper, len(mt.keys))
	}
}

// TestHeadsSelective checks that the bit set rarely lets a place start a
// form when its first bytes are not those of a form, even when they differ
// from a form's in one byte only: such places are what a text near a
// secret is full of.
func TestHeadsSelective(t *testing.T) {
	m := New()
	r := rand.New(rand.NewPCG(5, 6))
	heads := map[string]bool{} // the first MinLen bytes of every form
	for range 100 {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(' ' + r.IntN(95))
		}
		m.Add(string(b))
		for _, f := range Forms(string(b)) {
			heads[f[:MinLen]] = true
		}
	}
	if got := m.Count(); got != 100 { // Count builds the forms added
		t.Fatalf("Count() = %d, want 100", got)
	}
	var tried, passed int
	for h := range heads {
		if !m.forms.mayStart(key(h, 0)) {
			t.Fatalf("mayStart(%q) = false for the start of a form", h)
		}
		for i := range MinLen {
			for d := 1; d < 256; d += 16 {
				v := []byte(h)
				v[i] ^= byte(d)
				if heads[string(v)] {
					continue
				}
				tried++
				if m.forms.mayStart(key(v, 0)) {
					passed++
				}
			}
		}
	}
	// With 16 bits a key, about 6% of the bits are set.
	if passed*100 > 9*tried {
		t.Errorf("%d of %d starts one byte off a form's may start one, want under 9%%", passed, tried)
	}
}
