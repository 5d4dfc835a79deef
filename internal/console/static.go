package console

import "embed"

// static is the console: index.html, its stylesheet and its ES modules, as
// they are in the repository (there is no build step).
//
//go:embed static
var static embed.FS
