package cmd

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/internal/roff"
)

// projectURL is the home of callsheet's README and documentation.
const projectURL = "https://github.com/callsheet/callsheet"

// exitStatuses are the exit codes as the manual page lists them, in the
// words of package exitcode.
var exitStatuses = []struct {
	code    int
	meaning string
}{
	{ExitOK, "Every check of every collection passed (for validate: every collection is valid)."},
	{ExitFailed, "A request was sent and one of its checks or captures failed."},
	{ExitUsage, "The command line was wrong (unknown flag, missing PATH, bad --var, unreadable --env-file or --cacert) " +
		"or a collection failed to load or validate. Nothing was sent."},
	{ExitError, "A step could not complete: connection refused, timeout, TLS failure, a variable undefined at run time."},
	{ExitThreshold, "A load test ran and one of its thresholds failed (callsheet load, callsheet load merge)."},
	{ExitInterrupted, "The run was stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. The reports of what ran are still written."},
}

// manPage renders app's manual page in section 1 from its definitions:
// every visible command and subcommand with its visible flags. It uses
// nothing of urfave/cli's documentation generator, which builds with
// the tag urfave_cli_no_docs leave out.
func manPage(app *cli.App) string {
	p := roff.NewPage(app.Name, 1, app.Name, "User Commands")
	p.Comment("Made by `" + app.Name + " man` from the definitions of its commands.")
	p.Section("NAME")
	p.Paragraph(roff.Plain(app.Name + " - " + app.Usage))
	p.Section("SYNOPSIS")
	p.Paragraph(synopsis(app.Name, app.UsageText))
	if app.Description != "" {
		p.Section("DESCRIPTION")
		p.Prose(app.Description)
	}
	p.Section("OPTIONS")
	flags := manFlags(app.Flags)
	if !app.HideHelp && cli.HelpFlag != nil {
		flags = append(flags, cli.HelpFlag)
	}
	writeFlags(p, flags)
	p.Section("COMMANDS")
	p.Paragraph(roff.Plain("Each command also takes ") + roff.Bold("--help") + roff.Plain(" (") + roff.Bold("-h") +
		roff.Plain("), which prints its help."))
	writeCommands(p, app.VisibleCommands(), app.Name)
	p.Section("EXIT STATUS")
	for _, s := range exitStatuses {
		p.Tagged(roff.Bold(strconv.Itoa(s.code)), roff.Plain(s.meaning))
	}
	p.Section("SEE ALSO")
	p.Paragraph(roff.Bold(app.Name) + " " + roff.Italic("COMMAND") + " " + roff.Bold("--help") +
		roff.Plain(" prints the help of a command."))
	p.Paragraph(roff.Plain("The README and the docs folder of the project: " + projectURL))
	return p.String()
}

// writeCommands writes a subsection for each of cmds and, after it, for
// each of its visible subcommands. parent is the command line before
// them ("callsheet", "callsheet load").
func writeCommands(p *roff.Page, cmds []*cli.Command, parent string) {
	for _, c := range cmds {
		path := parent + " " + c.Name
		_, title, _ := strings.Cut(path, " ")
		p.Subsection(title)
		p.Paragraph(synopsis(path, commandUsage(c, path)))
		if len(c.Aliases) > 0 {
			p.Paragraph(roff.Plain("Also called " + strings.Join(c.Aliases, ", ") + "."))
		}
		p.Paragraph(roff.Plain(sentence(c.Usage)))
		p.Prose(c.Description)
		writeFlags(p, manFlags(c.Flags))
		writeCommands(p, c.VisibleCommands(), path)
	}
}

// commandUsage is the command line that runs c, path its command: its
// name, [flags] when it has any, and the arguments it takes; or its
// UsageText when it names no arguments.
func commandUsage(c *cli.Command, path string) string {
	if c.ArgsUsage == "" && c.UsageText != "" {
		return c.UsageText
	}
	usage := path
	if len(manFlags(c.Flags)) > 0 {
		usage += " [flags]"
	}
	if c.ArgsUsage != "" {
		usage += " " + c.ArgsUsage
	}
	return usage
}

// synopsis sets usage, a command line starting with the command path, with
// the path in bold.
func synopsis(path, usage string) roff.Text {
	rest, ok := strings.CutPrefix(usage, path)
	if !ok {
		return roff.Plain(usage)
	}
	return roff.Bold(path) + roff.Plain(rest)
}

// sentence is s, a usage such as "run collections", as a sentence: a
// capital first letter and a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// manFlags are the flags of flags that the manual page lists under their
// command: the visible ones, except --help, which it lists once.
func manFlags(flags []cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); (ok && !v.IsVisible()) || f == cli.HelpFlag {
			continue
		}
		out = append(out, f)
	}
	return out
}

// writeFlags writes each of flags as a tagged paragraph: its names with
// the placeholder of its value, then its usage, default and environment
// variables.
func writeFlags(p *roff.Page, flags []cli.Flag) {
	for _, f := range flags {
		doc, ok := f.(cli.DocGenerationFlag)
		if !ok {
			p.Tagged(flagTag(f.Names(), "", false), "")
			continue
		}
		before, placeholder, after := splitPlaceholder(doc.GetUsage())
		body := roff.Plain(before) + roff.Italic(placeholder) + roff.Plain(after)
		if doc.TakesValue() && placeholder == "" {
			placeholder = "value" // as the help names it
		}
		_, optional := f.(optionalValue)
		var notes []string
		if def := doc.GetDefaultText(); def != "" && !hidesDefault(f) {
			notes = append(notes, "default: "+def)
		}
		if env := doc.GetEnvVars(); len(env) > 0 {
			notes = append(notes, "environment: $"+strings.Join(env, ", $"))
		}
		if len(notes) > 0 {
			body += roff.Plain(" (" + strings.Join(notes, "; ") + ")")
		}
		p.Tagged(flagTag(f.Names(), placeholder, optional), body)
	}
}

// hidesDefault reports whether f's help shows no default: a boolean flag
// whose default is not giving it.
func hidesDefault(f cli.Flag) bool {
	b, ok := f.(*cli.BoolFlag)
	return ok && b.DisableDefaultText
}

// flagTag sets a flag's names as the help does (--jobs N, -j N), names
// in bold and the placeholder in italic; an optional value is set as
// --state[=FILE].
func flagTag(names []string, placeholder string, optional bool) roff.Text {
	var tag roff.Text
	for i, name := range names {
		if i > 0 {
			tag += ", "
		}
		tag += roff.Bold(dashed(name))
		switch {
		case optional:
			tag += "[=" + roff.Italic("FILE") + "]"
		case placeholder != "":
			tag += " " + roff.Italic(placeholder)
		}
	}
	return tag
}

// splitPlaceholder splits a flag's usage around the word between its
// first pair of backquotes, which names its value (`FILE`), as
// urfave/cli's help reads it. A usage without one is all before.
func splitPlaceholder(usage string) (before, placeholder, after string) {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return usage, "", ""
	}
	placeholder, after, ok = strings.Cut(rest, "`")
	if !ok {
		return usage, "", ""
	}
	return before, placeholder, after
}
