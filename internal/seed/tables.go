package seed

// Statuses of a conversation.
const (
	statusCompleted   = "completed"
	statusAbandoned   = "abandoned"
	statusTransferred = "transferred"
	statusActive      = "active"
)

// Senders of a message.
const (
	senderUser   = "user"
	senderBot    = "bot"
	senderAgent  = "agent"
	senderSystem = "system"
)

// The weights below shape a plausible tenant: mostly web chat and WhatsApp,
// mostly English, mostly support. They are read-only.
var (
	channels = newWeighted(
		choice[string]{"webchat", 42}, choice[string]{"whatsapp", 26}, choice[string]{"facebook", 11},
		choice[string]{"voice", 10}, choice[string]{"teams", 7}, choice[string]{"sms", 4},
	)
	languages = newWeighted(
		choice[string]{"en-US", 40}, choice[string]{"de-DE", 14}, choice[string]{"tr-TR", 12},
		choice[string]{"es-ES", 12}, choice[string]{"fr-FR", 10}, choice[string]{"ja-JP", 7},
		choice[string]{"ar-SA", 5},
	)
	statuses = newWeighted(
		choice[string]{statusCompleted, 68}, choice[string]{statusAbandoned, 17},
		choice[string]{statusTransferred, 10}, choice[string]{statusActive, 5},
	)
	// projects maps a project to the topics its users come with.
	projects = newWeighted(
		choice[project]{project{"support", topicsSupport}, 45},
		choice[project]{project{"sales", topicsSales}, 25},
		choice[project]{project{"billing", topicsBilling}, 20},
		choice[project]{project{"onboarding", topicsOnboarding}, 10},
	)
	topicsSupport    = newWeighted(choice[topic]{orderStatus, 60}, choice[topic]{refundRequest, 25}, choice[topic]{cancelSubscription, 15})
	topicsSales      = newWeighted(choice[topic]{orderStatus, 70}, choice[topic]{cancelSubscription, 10}, choice[topic]{refundRequest, 20})
	topicsBilling    = newWeighted(choice[topic]{refundRequest, 50}, choice[topic]{cancelSubscription, 35}, choice[topic]{orderStatus, 15})
	topicsOnboarding = newWeighted(choice[topic]{orderStatus, 40}, choice[topic]{cancelSubscription, 40}, choice[topic]{refundRequest, 20})
)

// project is a tenant's bot project and the topics its users raise.
type project struct {
	name   string
	topics weighted[topic]
}

// topic is what a conversation is about: the intent of its requests.
type topic int

const (
	orderStatus topic = iota
	cancelSubscription
	refundRequest
	numTopics
)

// Intent names and the fixed confidence of greetings.
const (
	intentGreeting     = "greeting"
	intentFallback     = "fallback"
	greetingConfidence = 0.97
)

// intentOf is the intent name of a topic.
var intentOf = [numTopics]string{"order_status", "cancel_subscription", "refund_request"}
