package graphiql

import (
	"testing"
	"testing/fstest"
)

func TestLoadRefusesABrokenBuild(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"empty":         {},
		"no stylesheet": {"dist/graphiql-AAAA.js": {}},
		"two scripts":   {"dist/graphiql-AAAA.js": {}, "dist/graphiql-BBBB.js": {}, "dist/graphiql-CCCC.css": {}},
		"only licences": {"dist/LICENSES.txt": {}},
	} {
		if _, err := load(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if _, err := load(dist); err != nil {
		t.Errorf("the embedded build: %v", err)
	}
}
