package cmd

import (
	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/session"
)

// tlsOptions are the flags that say how a command's client reaches
// servers: --insecure, --cacert and, where the command offers it,
// --http1.1.
type tlsOptions struct {
	insecure bool
	caFile   string
	http1    bool
}

// flags declares --insecure and --cacert, and --http1.1 when http1 is set.
func (o *tlsOptions) flags(http1 bool) []cli.Flag {
	flags := []cli.Flag{
		&cli.BoolFlag{Name: "insecure", Usage: "do not verify TLS certificates", Destination: &o.insecure},
		&cli.StringFlag{Name: "cacert", Usage: "also trust the PEM certificates in `FILE`", Destination: &o.caFile},
	}
	if http1 {
		flags = append(flags, &cli.BoolFlag{Name: "http1.1", Usage: "speak HTTP/1.1 only (by default HTTP/2 is spoken to servers that offer it)", Destination: &o.http1})
	}
	return flags
}

// client is what the flags ask of the client; unchecked collects the
// hosts whose certificates --insecure let through.
func (o *tlsOptions) client(unchecked *session.UncheckedHosts) session.TLS {
	return session.TLS{CAFile: o.caFile, Insecure: o.insecure, HTTP1: o.http1, Unchecked: unchecked}
}
