package mask

import (
	"math/bits"
	"slices"
)

// matcher finds the forms of the secrets in a text. The forms are kept in
// a radix tree (each edge labelled with a run of bytes, each node's
// children sorted by their label's first byte) that add extends in place:
// adding a form costs its length, whatever was added before. heads is a
// bit set over the hashes of the first MinLen bytes of every form; a place
// of a text whose next MinLen bytes hash to a bit not set starts no form,
// so a text is read once and the tree is walked only where a form may
// start.
type matcher struct {
	root node
	// heads is the bit set; its size, a power of two of at least
	// minHeadBits, grows with keys so that a place starting no form is
	// rarely taken for one.
	heads []uint64
	// shift turns a key's hash into an index of heads.
	shift uint
	// keys are the distinct first bytes of the forms, to lay out heads
	// again when it grows: in few, a list; in more, a set.
	few  []uint32
	keys map[uint32]struct{}
	// spare are nodes allocated together, handed out by newNode.
	spare []node
}

// spareNodes is how many nodes newNode allocates at once.
const spareNodes = 16

// newNode returns a new node labelled label.
func (mt *matcher) newNode(label string) *node {
	if len(mt.spare) == 0 {
		mt.spare = make([]node, spareNodes)
	}
	n := &mt.spare[0]
	mt.spare = mt.spare[1:]
	n.label = label
	return n
}

// node is a node of the radix tree: label leads to it from its parent;
// end is set when a form ends here.
type node struct {
	label string
	kids  []*node
	end   *entry
}

// entry is what stands for a form: placeholder, when the form's secret is
// named, else Text.
type entry struct {
	placeholder string
}

// minHeadBits is the smallest size of the bit set, and headBitsPerKey how
// many bits it has at least for each key.
const (
	minHeadBits    = 1 << 10 // mutate:ignore "10 -> 11" tuning: a set of any power of two of bits finds the same forms
	headBitsPerKey = 16      // mutate:ignore tuning: more bits a key only makes the set sparser
)

// key returns the first MinLen bytes of s as a number.
func key[T ~string | ~[]byte](s T, i int) uint32 {
	// mutate:ignore "8 -> 9" keys laid out otherwise are still the same for the same bytes: at worst two share a bit
	// mutate:ignore "16 -> 17" keys laid out otherwise are still the same for the same bytes
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16
}

// hash spreads a key over the bit set.
// mutate:ignore "0x9e3779b1 -> " another multiplier spreads the keys as well (TestHeadsSelective)
func (mt *matcher) hash(k uint32) uint32 { return (k * 0x9e3779b1) >> mt.shift }

// mayStart reports whether a form may start with the key k.
func (mt *matcher) mayStart(k uint32) bool {
	if mt.heads == nil {
		return false
	}
	h := mt.hash(k)
	return mt.heads[h>>6]&(1<<(h&63)) != 0
}

// add puts form, at least MinLen bytes long, in the tree and returns the
// node where it ends, whose entry the caller sets.
func (mt *matcher) add(form string) *node {
	mt.addKey(key(form, 0))
	n, rest := &mt.root, form
	for rest != "" {
		i, kid := n.child(rest[0])
		if kid == nil {
			n.kids = append(n.kids, nil)
			copy(n.kids[i+1:], n.kids[i:])
			n.kids[i] = mt.newNode(rest)
			return n.kids[i]
		}
		p := commonPrefix(kid.label, rest)
		if p < len(kid.label) {
			// Split the edge where form leaves it.
			mid := mt.newNode(kid.label[:p])
			mid.kids = []*node{kid}
			kid.label = kid.label[p:]
			n.kids[i] = mid
			kid = mid
		}
		n, rest = kid, rest[p:]
	}
	return n
}

// addKey sets the bit of k, laying the bit set out again, twice as large,
// when it holds too many keys for its size.
func (mt *matcher) addKey(k uint32) {
	if !mt.newKey(k) {
		return
	}
	size := max(minHeadBits, 1<<bits.Len(uint(mt.keyCount()*headBitsPerKey-1)))
	// mutate:ignore "64 -> 65" laying the set out again at every new key gives the same set
	if size != 64*len(mt.heads) {
		mt.heads = make([]uint64, size/64)
		mt.shift = uint(32 - bits.TrailingZeros(uint(size)))
		for _, k := range mt.few {
			mt.setKey(k)
		}
		for k := range mt.keys {
			mt.setKey(k)
		}
		return
	}
	mt.setKey(k)
}

// fewKeys is how many keys are kept in a list before a set.
const fewKeys = minHeadBits / headBitsPerKey

// newKey records k and reports whether it is new.
func (mt *matcher) newKey(k uint32) bool {
	if mt.keys == nil {
		if slices.Contains(mt.few, k) {
			return false
		}
		if len(mt.few) < fewKeys {
			mt.few = append(mt.few, k)
			return true
		}
		mt.keys = make(map[uint32]struct{}, 2*fewKeys)
		for _, k := range mt.few {
			mt.keys[k] = struct{}{}
		}
		mt.few = nil
	}
	if _, ok := mt.keys[k]; ok {
		return false
	}
	mt.keys[k] = struct{}{}
	return true
}

// keyCount is the number of distinct keys.
func (mt *matcher) keyCount() int { return len(mt.few) + len(mt.keys) }

func (mt *matcher) setKey(k uint32) {
	h := mt.hash(k)
	mt.heads[h>>6] |= 1 << (h & 63)
}

// child returns the child of n whose label starts with b, and its index;
// when there is none, nil and the index where it would go.
func (n *node) child(b byte) (int, *node) {
	lo, hi := 0, len(n.kids)
	for lo < hi {
		mid := (lo + hi) / 2
		switch c := n.kids[mid].label[0]; {
		case c == b:
			return mid, n.kids[mid]
		case c < b: // mutate:ignore "< -> <=" c == b is the case above
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return lo, nil
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// next returns the leftmost form in s at or after from, the longest one
// starting there: its start, its end and its entry; start is -1 when
// there is none.
func next[T ~string | ~[]byte](mt *matcher, s T, from int) (start, end int, e *entry) {
	for i := from; i+MinLen <= len(s); i++ {
		if !mt.mayStart(key(s, i)) {
			continue // mutate:ignore the bit set only spares walking the tree, which finds nothing there
		}
		if n, e := longestAt(mt, s[i:]); e != nil {
			return i, i + n, e
		}
	}
	return -1, -1, nil
}

// longestAt returns the length and entry of the longest form that s
// starts with, or 0 and nil.
func longestAt[T ~string | ~[]byte](mt *matcher, s T) (int, *entry) {
	n, depth := &mt.root, 0
	length, found := 0, (*entry)(nil) // mutate:ignore the length goes unread when no form is found
	for depth < len(s) {
		_, kid := n.child(s[depth])
		if kid == nil || len(s)-depth < len(kid.label) || string(s[depth:depth+len(kid.label)]) != kid.label {
			break
		}
		n, depth = kid, depth+len(kid.label)
		if n.end != nil {
			length, found = depth, n.end
		}
	}
	return length, found
}
