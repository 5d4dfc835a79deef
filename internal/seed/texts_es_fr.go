package seed

var spanish = lexicon{
	greet:     []string{"hola", "¡Buenos días!", "Hola, necesito ayuda"},
	greetBack: []string{"¡Hola! ¿En qué puedo ayudarte?", "¡Bienvenido! ¿Qué necesitas?"},
	request: [numTopics][]string{
		orderStatus:        {"¿Dónde está mi pedido {n}?", "Mi paquete aún no ha llegado, pedido nº {n}", "¿Podéis revisar el estado del pedido {n}?"},
		cancelSubscription: {"Quiero cancelar mi suscripción", "¿Cómo doy de baja mi plan?"},
		refundRequest:      {"Me cobraron dos veces, quiero un reembolso", "¿Me devolvéis el dinero del pedido {n}?", "El artículo llegó roto 😞 ¿reembolso?"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"Tu pedido {n} está en camino y llegará mañana.", "El pedido {n} salió ayer. Puedes seguirlo en «Mi cuenta»."},
		cancelSubscription: {"Lamento que te vayas. La baja será efectiva al final del periodo de facturación.", "Puedes cancelarla en Ajustes > Plan. ¿Lo hago por ti?"},
		refundRequest:      {"He abierto la solicitud de reembolso R-{n}. Recibirás el dinero en 5 días hábiles.", "¡Lo siento! Te devolvemos {n},00 € enseguida."},
	},
	followUp:   []string{"vale", "Sí, por favor", "¿Puedes comprobarlo otra vez?", "Es el {n}", "no, no es eso", "¿Cuánto tardará?"},
	botFollow:  []string{"Déjame comprobarlo.", "Gracias, un momento por favor…", "Entendido. ¿Algo más?"},
	unclear:    []string{"ñññ", "¿y el azul?", "jajaja"},
	fallback:   []string{"Perdona, no te he entendido. ¿Puedes reformularlo?"},
	handover:   []string{"Te paso con uno de nuestros agentes.", "Te transfiero a un compañero, espera un momento."},
	agent:      []string{"Hola, soy Lucía. Sigo yo con tu consulta.", "¡Gracias por esperar! Reviso tu cuenta.", "Listo. ¿Necesitas algo más?"},
	thanks:     []string{"¡gracias!", "Muchas gracias, me ha servido 👍", "genial, adiós"},
	bye:        []string{"¡De nada! Que tengas un buen día.", "Encantado de ayudar. ¡Hasta luego!"},
	stillThere: []string{"¿Sigues ahí?"},
}

var french = lexicon{
	greet:     []string{"bonjour", "Salut !", "Bonjour, j'ai besoin d'aide"},
	greetBack: []string{"Bonjour ! Comment puis-je vous aider ?", "Bienvenue ! Que puis-je faire pour vous ?"},
	request: [numTopics][]string{
		orderStatus:        {"Où est ma commande {n} ?", "Mon colis n'est toujours pas arrivé, commande n° {n}", "Pouvez-vous vérifier l'état de la commande {n} ?"},
		cancelSubscription: {"Je veux résilier mon abonnement", "Comment annuler mon forfait ?"},
		refundRequest:      {"J'ai été débité deux fois, je veux être remboursé", "Puis-je être remboursé pour la commande {n} ?", "L'article est arrivé cassé 😞"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"Votre commande {n} est en route et arrivera demain.", "La commande {n} a été expédiée hier. Suivez-la dans « Mon compte »."},
		cancelSubscription: {"Dommage de vous voir partir. La résiliation prendra effet à la fin de la période de facturation.", "Vous pouvez résilier dans Paramètres > Forfait. Voulez-vous que je le fasse ?"},
		refundRequest:      {"J'ai ouvert la demande de remboursement R-{n}. Vous serez remboursé sous 5 jours ouvrés.", "Désolé ! Un remboursement de {n},00 € est en cours."},
	},
	followUp:   []string{"d'accord", "Oui, s'il vous plaît", "Vous pouvez revérifier ?", "C'est le {n}", "non, ce n'est pas ça", "Ça prendra combien de temps ?"},
	botFollow:  []string{"Je vérifie pour vous.", "Merci, un instant s'il vous plaît…", "C'est noté. Autre chose ?"},
	unclear:    []string{"euh…", "et le rouge ?", "ça marche pô"},
	fallback:   []string{"Désolé, je n'ai pas compris. Pouvez-vous reformuler ?"},
	handover:   []string{"Je vous mets en relation avec un conseiller.", "Je vous transfère à un collègue, merci de patienter."},
	agent:      []string{"Bonjour, c'est Hélène. Je prends le relais.", "Merci de votre patience ! Je regarde votre compte.", "C'est fait. Autre chose ?"},
	thanks:     []string{"merci !", "Merci beaucoup, très utile 👍", "super, au revoir"},
	bye:        []string{"Avec plaisir ! Bonne journée.", "Ravi d'avoir pu aider. Au revoir !"},
	stillThere: []string{"Êtes-vous toujours là ?"},
}
