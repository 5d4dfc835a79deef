package document

import "strconv"

// The document's parts, in the key order of docs/schemas/report-v1.json.

// appendHeader appends the document up to `"Conversations":[`; hr is h.Hour
// normalised to UTC.
func appendHeader(b []byte, h Header, hr Hour) []byte {
	b = append(b, `{"SchemaVersion":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"TenantId":`...)
	b = appendString(b, h.TenantID.String())
	b = append(b, `,"UtcDay":`...)
	b = appendString(b, hr.DayString())
	b = append(b, `,"UtcHour":`...)
	b = strconv.AppendInt(b, int64(hr.Hour), 10)
	b = append(b, `,"From":`...)
	b = appendTime(b, hr.From())
	b = append(b, `,"To":`...)
	b = appendTime(b, hr.To())
	b = append(b, `,"GeneratedAt":`...)
	b = appendTime(b, h.GeneratedAt)
	b = append(b, `,"ConversationCount":`...)
	b = strconv.AppendInt(b, int64(h.ConversationCount), 10)
	b = append(b, `,"MessageCount":`...)
	b = strconv.AppendInt(b, int64(h.MessageCount), 10)
	return append(b, `,"Conversations":[`...)
}

// AppendConversation appends c as the JSON object it is inside a document's
// "Conversations" array, byte for byte what an Encoder writes for it: c's
// messages in the order given (report order is the caller's: SentAt, then Id
// in byte order).
func AppendConversation(b []byte, c *Conversation) []byte {
	b = appendConversationHead(b, c)
	for i := range c.Messages {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessage(b, &c.Messages[i])
	}
	return append(b, ']', '}')
}

// appendConversationHead appends a conversation up to `"Messages":[`.
func appendConversationHead(b []byte, c *Conversation) []byte {
	b = append(b, `{"Id":`...)
	b = appendString(b, c.ID)
	b = append(b, `,"SessionId":`...)
	b = appendString(b, c.SessionID)
	b = append(b, `,"Channel":`...)
	b = appendString(b, c.Channel)
	b = append(b, `,"Language":`...)
	b = appendString(b, c.Language)
	b = append(b, `,"ProjectName":`...)
	b = appendString(b, c.ProjectName)
	b = append(b, `,"StartedAt":`...)
	b = appendTime(b, c.StartedAt)
	b = append(b, `,"EndedAt":`...)
	b = appendTimePtr(b, c.EndedAt)
	b = append(b, `,"Status":`...)
	b = appendString(b, c.Status)
	return append(b, `,"Messages":[`...)
}

// appendMessage appends one message object.
func appendMessage(b []byte, m *Message) []byte {
	b = append(b, `{"Id":`...)
	b = appendString(b, m.ID)
	b = append(b, `,"SentAt":`...)
	b = appendTime(b, m.SentAt)
	b = append(b, `,"Sender":`...)
	b = appendString(b, m.Sender)
	b = append(b, `,"Text":`...)
	b = appendString(b, m.Text)
	b = append(b, `,"Intent":`...)
	b = appendStringPtr(b, m.Intent)
	b = append(b, `,"Confidence":`...)
	b = appendFloatPtr(b, m.Confidence)
	return append(b, '}')
}
