package load

import (
	"fmt"

	"github.com/callsheet/callsheet/internal/atomicfile"
)

// WriteFiles writes the summary's JSON form (WriteJSON) to jsonFile and
// its HTML page (WriteHTML) to htmlFile, each atomically: a file is
// whole or left as it was. An empty name writes nothing.
func (s *Summary) WriteFiles(jsonFile, htmlFile string) error {
	if jsonFile != "" {
		if err := atomicfile.Write(jsonFile, 0o644, s.WriteJSON); err != nil {
			return fmt.Errorf("write the JSON summary: %w", err)
		}
	}
	if htmlFile != "" {
		if err := atomicfile.Write(htmlFile, 0o644, s.WriteHTML); err != nil {
			return fmt.Errorf("write the HTML report: %w", err)
		}
	}
	return nil
}
