package ingest

import "github.com/dailyreports/dailyreports/internal/document"

// The fields of a message, one bit each.
const (
	mID fieldSet = 1 << iota
	mSentAt
	mSender
	mText
	mIntent
	mConfidence
)

// messageField returns the bit of the message field key, or 0.
func messageField(key []byte) fieldSet {
	switch string(key) {
	case "Id":
		return mID
	case "SentAt":
		return mSentAt
	case "Sender":
		return mSender
	case "Text":
		return mText
	case "Intent":
		return mIntent
	case "Confidence":
		return mConfidence
	}
	return 0
}

// messages decodes the Messages array: at most MaxMessages messages with
// distinct Ids. A null array counts as absent.
func (d *decoder) messages(v []byte) ([]document.Message, error) {
	switch {
	case isNull(v):
		return nil, errRequired()
	case v[0] != '[':
		return nil, fail("must be an array")
	}
	ms := []document.Message{}
	for raw := range elements(v) {
		if len(ms) == d.lim.MaxMessages {
			return nil, fail("must not have more than %d messages", d.lim.MaxMessages)
		}
		m, err := d.message(raw)
		if err != nil {
			return nil, at(ordinal(len(ms)), err)
		}
		ms = append(ms, m)
	}
	return ms, uniqueIDs(ms)
}

// message decodes one element of Messages.
func (d *decoder) message(raw []byte) (document.Message, error) {
	var m document.Message
	if raw[0] != '{' {
		return m, fail("must be an object")
	}
	var seen fieldSet
	for key, v := range members(raw) {
		bit := messageField(key)
		if err := seen.claim(bit, key); err != nil {
			return m, err
		}
		if err := d.setMessage(&m, bit, v); err != nil {
			return m, at(string(key), err)
		}
	}
	return m, requireAll(seen, []fieldSet{mID, mSentAt, mSender, mText}, []string{"Id", "SentAt", "Sender", "Text"})
}

// setMessage decodes v into the field bit of m.
func (d *decoder) setMessage(m *document.Message, bit fieldSet, v []byte) (err error) {
	switch bit {
	case mID:
		m.ID, err = decodeID(v)
	case mSentAt:
		m.SentAt, err = d.win.required(v)
	case mSender:
		m.Sender, err = decodeSender(v)
	case mText:
		m.Text, err = requiredString(v, d.lim.MaxTextBytes)
	case mIntent:
		m.Intent, err = optionalIntent(v)
	case mConfidence:
		m.Confidence, err = optionalConfidence(v)
	}
	return err
}

// uniqueIDs fails for the first message whose Id an earlier message has.
func uniqueIDs(ms []document.Message) error {
	if len(ms) < 2 {
		return nil
	}
	first := make(map[string]int, len(ms))
	for i, m := range ms {
		if j, ok := first[m.ID]; ok {
			return at(ordinal(i)+".Id", fail("repeats Messages[%d].Id", j))
		}
		first[m.ID] = i
	}
	return nil
}
