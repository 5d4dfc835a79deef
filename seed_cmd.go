package main

import (
	"context"
	"errors"
)

// cmdSeed writes synthetic conversations.
func cmdSeed(ctx context.Context, args []string, e env) error {
	return errors.New("seed: not available yet")
}
