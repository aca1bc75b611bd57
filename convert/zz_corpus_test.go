package convert

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestZZCorpus(t *testing.T) {
	dir := os.Getenv("CORPUS")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var tot, tr int
	for _, f := range files {
		data, _ := os.ReadFile(f)
		im, err := ImportPostman(data, nil)
		if err != nil {
			fmt.Println(f, err)
			continue
		}
		sc := im.Scripts
		tot += sc.Statements
		tr += sc.Translated
		fmt.Printf("%-40s %4d/%4d\n", filepath.Base(f), sc.Translated, sc.Statements)
		if os.Getenv("LEFT") != "" {
			for _, n := range im.Notes {
				fmt.Println("   ", n)
			}
		}
	}
	fmt.Printf("TOTAL %d/%d = %.1f%%\n", tr, tot, float64(tr)*100/float64(tot))
}
