package ingest

import "github.com/dailyreports/dailyreports/internal/document"

// The fields of a conversation, one bit each.
const (
	cID fieldSet = 1 << iota
	cSessionID
	cChannel
	cLanguage
	cProjectName
	cStartedAt
	cEndedAt
	cStatus
	cMessages
)

// conversationField returns the bit of the conversation field key, or 0.
func conversationField(key []byte) fieldSet {
	switch string(key) {
	case "Id":
		return cID
	case "SessionId":
		return cSessionID
	case "Channel":
		return cChannel
	case "Language":
		return cLanguage
	case "ProjectName":
		return cProjectName
	case "StartedAt":
		return cStartedAt
	case "EndedAt":
		return cEndedAt
	case "Status":
		return cStatus
	case "Messages":
		return cMessages
	}
	return 0
}

// conversation decodes a record that is a valid JSON object.
func (d *decoder) conversation(raw []byte) (document.Conversation, error) {
	var c document.Conversation
	var seen fieldSet
	for key, v := range members(raw) {
		bit := conversationField(key)
		if err := seen.claim(bit, key); err != nil {
			return c, err
		}
		if err := d.setConversation(&c, bit, v); err != nil {
			return c, at(string(key), err)
		}
	}
	err := requireAll(seen, []fieldSet{cID, cStartedAt, cMessages}, []string{"Id", "StartedAt", "Messages"})
	if err == nil && c.EndedAt != nil && c.EndedAt.Before(c.StartedAt) {
		err = at("EndedAt", fail("must not be before StartedAt"))
	}
	return c, err
}

// setConversation decodes v into the field bit of c.
func (d *decoder) setConversation(c *document.Conversation, bit fieldSet, v []byte) (err error) {
	switch bit {
	case cID:
		c.ID, err = decodeID(v)
	case cSessionID:
		c.SessionID, err = optionalString(v, maxString)
	case cChannel:
		c.Channel, err = optionalString(v, maxString)
	case cLanguage:
		c.Language, err = optionalString(v, maxLanguage)
	case cProjectName:
		c.ProjectName, err = optionalString(v, maxString)
	case cStartedAt:
		c.StartedAt, err = d.win.required(v)
	case cEndedAt:
		c.EndedAt, err = d.win.optional(v)
	case cStatus:
		c.Status, err = optionalString(v, maxString)
	case cMessages:
		c.Messages, err = d.messages(v)
	}
	return err
}
