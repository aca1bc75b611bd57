package cmd

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/schema"
)

// newSchemaCommand is `callsheet schema`: the JSON Schema of the
// collection format, built into the binary.
func newSchemaCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema of the collection format, for editors",
		Description: "Editors that read `# yaml-language-server: $schema=FILE` (VS Code with the YAML\n" +
			"extension, JetBrains IDEs) complete and check collections with it, offline:\n\n" +
			"  callsheet schema > collection.schema.json\n\n" +
			"callsheet init writes this file beside the collections it makes.",
		OnUsageError: onUsageError("schema"),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "schema"}
			}
			_, err := sys.stdout.Write(schema.JSON)
			return err
		},
	}
}
