package seed

var english = lexicon{
	greet:     []string{"hi", "Hello!", "hey there 👋", "Good morning", "Hi, I need some help"},
	greetBack: []string{"Hello! How can I help you today?", "Hi 👋 What can I do for you?", "Welcome back! How can I help?"},
	request: [numTopics][]string{
		orderStatus: {"Where is my order {n}?", "My package hasn't arrived yet, order #{n}", "Can you check the status of order {n}?",
			"The tracking page still says \"in transit\" for {n}"},
		cancelSubscription: {"I want to cancel my subscription", "How do I cancel my plan?", "Please cancel my membership.\nReason: too expensive."},
		refundRequest:      {"I was charged twice, I want a refund", "Can I get my money back for order {n}?", "Refund please, the item arrived broken 😞"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"Your order {n} is on its way and should arrive tomorrow.", "Order {n} was shipped yesterday. You can track it under Account > Orders."},
		cancelSubscription: {"I'm sorry to see you go. I've scheduled the cancellation for the end of your billing period.", "You can cancel under Settings > Plan. Shall I do it for you?"},
		refundRequest:      {"I've opened refund request R-{n}. You'll get the money back within 5 business days.", "I'm sorry about that! A refund of ${n}.00 is on its way."},
	},
	followUp:   []string{"ok", "Yes please", "Can you check again?", "It's {n}", "no, that's not it", "And how long will that take?"},
	botFollow:  []string{"Let me check that for you.", "Thanks, one moment please…", "Got it. Anything else I can help with?"},
	unclear:    []string{"asdfgh", "what about the blue one", "my cat walked on the keyboard", "?"},
	fallback:   []string{"Sorry, I didn't get that. Could you rephrase?", "I'm not sure I understand. Can you say it differently?"},
	handover:   []string{"Let me connect you with one of our agents.", "I'll transfer you to a human colleague, please hold on."},
	agent:      []string{"Hi, this is Maria. I'll take it from here.", "Thanks for waiting! Let me look into your account.", "Done, is there anything else?", "I've escalated this to our warehouse team."},
	thanks:     []string{"thanks!", "Thank you, that helped 👍", "great, bye"},
	bye:        []string{"You're welcome! Have a nice day.", "Happy to help. Goodbye!"},
	stillThere: []string{"Are you still there?", "I haven't heard from you in a while. Is there anything else?"},
}

var german = lexicon{
	greet:     []string{"Hallo", "Guten Tag!", "Moin 👋", "Hallo, ich brauche Hilfe"},
	greetBack: []string{"Hallo! Wie kann ich Ihnen helfen?", "Guten Tag! Was kann ich für Sie tun?"},
	request: [numTopics][]string{
		orderStatus:        {"Wo ist meine Bestellung {n}?", "Mein Paket ist noch nicht angekommen, Bestellnummer {n}", "Wie ist der Status von Auftrag {n}?"},
		cancelSubscription: {"Ich möchte mein Abo kündigen", "Wie kündige ich meine Mitgliedschaft?", "Bitte kündigen Sie meinen Vertrag zum nächstmöglichen Zeitpunkt."},
		refundRequest:      {"Mir wurde doppelt abgebucht, ich möchte eine Rückerstattung", "Kann ich das Geld für Bestellung {n} zurückbekommen?", "Der Artikel kam beschädigt an – Erstattung bitte."},
	},
	answer: [numTopics][]string{
		orderStatus:        {"Ihre Bestellung {n} ist unterwegs und kommt voraussichtlich morgen an.", "Bestellung {n} wurde gestern verschickt. Sie finden die Sendungsverfolgung unter „Mein Konto“."},
		cancelSubscription: {"Schade, dass Sie gehen. Die Kündigung ist zum Ende des Abrechnungszeitraums vorgemerkt.", "Sie können unter Einstellungen > Tarif kündigen. Soll ich das für Sie erledigen?"},
		refundRequest:      {"Ich habe die Erstattung R-{n} angelegt. Das Geld ist in 5 Werktagen auf Ihrem Konto.", "Das tut mir leid! Eine Gutschrift über {n},00 € ist unterwegs."},
	},
	followUp:   []string{"ok", "Ja, bitte", "Können Sie das nochmal prüfen?", "Die Nummer ist {n}", "Nein, das stimmt nicht", "Wie lange dauert das?"},
	botFollow:  []string{"Einen Moment, ich sehe nach.", "Danke, einen Augenblick bitte …", "Alles klar. Kann ich sonst noch helfen?"},
	unclear:    []string{"äöü ß", "und das grüne?", "hä"},
	fallback:   []string{"Entschuldigung, das habe ich nicht verstanden. Können Sie es anders formulieren?"},
	handover:   []string{"Ich verbinde Sie mit einem Mitarbeiter.", "Ich leite Sie an einen Kollegen weiter, bitte warten Sie kurz."},
	agent:      []string{"Hallo, hier ist Jürgen. Ich übernehme jetzt.", "Danke für Ihre Geduld! Ich schaue mir Ihr Konto an.", "Erledigt. Noch etwas?"},
	thanks:     []string{"Danke!", "Vielen Dank, das hat geholfen 👍", "super, tschüss"},
	bye:        []string{"Gern geschehen! Einen schönen Tag noch.", "Gerne. Auf Wiedersehen!"},
	stillThere: []string{"Sind Sie noch da?"},
}
