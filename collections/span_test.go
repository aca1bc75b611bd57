package collections

import "testing"

func TestSpanAtFlowCollections(t *testing.T) {
	tests := []struct {
		name string
		line string
		col  int
		want int
	}{
		{"flow sequence", `    between: [3, 5]`, 14, 6},
		{"flow mapping", `    team: {name: Bob, id: "7"}`, 11, 20},
		{"nested", `    x: [{a: [1]}, {b: 2}] # c`, 8, 18},
		{"quoted brackets", `    x: ["]", '}''']`, 8, 12},
		{"not closed on the line", `    x: [1,`, 8, 3},
		{"inside a flow sequence", `    x: [{gt: 7}, {lt: 9}]`, 14, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SpanAt([]byte(tt.line+"\n"), Pos{Line: 1, Col: tt.col}); got != tt.want {
				t.Errorf("SpanAt(%q, col %d) = %d, want %d", tt.line, tt.col, got, tt.want)
			}
		})
	}
}
