// Command dailyreports builds and serves the hourly conversation reports of a
// multi-tenant virtual-agent platform. See README.md (Commands) for the
// subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errSilent) {
			fmt.Fprintln(os.Stderr, "dailyreports:", err)
		}
		os.Exit(1)
	}
}

// errSilent ends the process with status 1 after the command already said why.
var errSilent = errors.New("failed")

const usage = `usage: dailyreports <command> [flags]

commands:
  serve [--roles api,worker,scheduler] [--no-migrate]
  migrate
  tenant create --name NAME [--enable] [--retention-months N]
  tenant list
  token --scope "S1 S2" [--tenant ID] [--ttl 1h] [--subject SUB]
  generate --day YYYY-MM-DD [--tenant ID] [--hour H]
  health [--url http://127.0.0.1:8080/readyz]
  seed --tenants N --day YYYY-MM-DD [--conversations-per-hour C] [--messages-per-conversation M] [--seed S]
`

// run executes one subcommand; it is main without the process around it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errSilent
	}
	cmds := map[string]func(context.Context, []string, env) error{
		"serve":    cmdServe,
		"migrate":  cmdMigrate,
		"tenant":   cmdTenant,
		"token":    cmdToken,
		"generate": cmdGenerate,
		"seed":     cmdSeed,
		"health":   cmdHealth,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return errSilent
	}
	return cmd(ctx, args[1:], env{getenv: getenv, stdout: stdout, stderr: stderr})
}

// env is what a command receives of the process.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}
