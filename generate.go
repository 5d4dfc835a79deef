package main

// Code generation, in order: ent (which also writes graph/ent.graphqls), then gqlgen.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./docs/printschema -o docs/schema.graphql
