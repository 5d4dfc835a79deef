package console_test

import (
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
