package seed

// lexicon holds the lines of one language, by the part they play in a
// dialogue. A "{n}" in a line is replaced by a number (an order, an amount).
type lexicon struct {
	greet      []string            // user opens
	greetBack  []string            // bot answers a greeting
	request    [numTopics][]string // user states the topic
	answer     [numTopics][]string // bot handles the request
	followUp   []string            // user goes on
	botFollow  []string            // bot goes on
	unclear    []string            // user says what the bot cannot place
	fallback   []string            // bot did not understand
	handover   []string            // bot hands over to a human
	agent      []string            // a human agent writes; the first line introduces them
	thanks     []string            // user closes
	bye        []string            // bot closes
	stillThere []string            // bot to a user gone quiet
}

// lexicons are the read-only lines of every language generated.
var lexicons = map[string]*lexicon{
	"en-US": &english, "de-DE": &german, "es-ES": &spanish, "fr-FR": &french,
	"tr-TR": &turkish, "ja-JP": &japanese, "ar-SA": &arabic,
}

// System messages are written by the platform, in English whatever the
// conversation's language.
const textTransferred = "Conversation transferred to agent"

// quirks are appended now and then to what users write: what real input
// holds and encoders must escape (quotes, backslashes, newlines, tabs, emoji).
var quirks = []string{
	"\n\nSent from my iPhone",
	" 🙂",
	" 😡😡",
	` (ref "A\B-7")`,
	" \\o/",
	"\n-- \nC:\\Users\\me\\Desktop\\invoice.pdf",
	"\t👍🏽",
	` "asap" pls`,
	" ¯\\_(ツ)_/¯",
	"\r\nthx",
}
