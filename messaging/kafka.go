package messaging

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// deliveryTimeout bounds how long a record waits for the broker's
// acknowledgment when the step gives no timeout.
const deliveryTimeout = 30 * time.Second

// kafkaLink is a Kafka client for one topic of one cluster: it produces to
// the topic, and consumes it (every partition, no consumer group) from the
// hub's start, so that a record produced before a receive began waits for
// it.
type kafkaLink struct {
	*inbox
	url, topic string
	cl         *kgo.Client
	stop       context.CancelFunc
	done       chan struct{}
}

// dialKafka makes the link to u, kafka://host:port/topic, reading the
// topic's records stamped from start on.
func dialKafka(u string, start time.Time, limit int64) (*kafkaLink, error) {
	p, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact(u), err)
	}
	topic := strings.TrimPrefix(p.Path, "/")
	if topic == "" || p.Host == "" {
		return nil, fmt.Errorf("%s: a Kafka URL is kafka://host:port/topic (the channel's address is the topic)", redact(u))
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(strings.Split(p.Host, ",")...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(start.UnixMilli())),
		kgo.FetchMaxBytes(int32(min(limit, 1<<30))),
		kgo.RecordDeliveryTimeout(deliveryTimeout),
	)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact(u), err)
	}
	ctx, stop := context.WithCancel(context.Background())
	l := &kafkaLink{inbox: newInbox(), url: u, topic: topic, cl: cl, stop: stop, done: make(chan struct{})}
	go l.read(ctx)
	return l, nil
}

// read queues every record of the topic until the client closes.
func (l *kafkaLink) read(ctx context.Context) {
	defer close(l.done)
	for {
		fs := l.cl.PollFetches(ctx)
		if fs.IsClientClosed() || ctx.Err() != nil {
			l.end(fmt.Errorf("the Kafka client of %s closed", redact(l.url)))
			return
		}
		fs.EachRecord(func(r *kgo.Record) {
			m := &Message{URL: l.url, Payload: r.Value}
			for _, h := range r.Headers {
				m.Header = append(m.Header, Field{Name: h.Key, Value: string(h.Value)})
			}
			l.put(m)
		})
	}
}

// publish produces m to the topic and waits for the broker's
// acknowledgment.
func (l *kafkaLink) publish(ctx context.Context, m *Message) error {
	rec := &kgo.Record{Topic: l.topic, Value: m.Payload}
	for _, f := range m.Header {
		rec.Headers = append(rec.Headers, kgo.RecordHeader{Key: f.Name, Value: []byte(f.Value)})
	}
	if err := l.cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("produce to %s: %w", redact(l.url), err)
	}
	return nil
}

// close closes the client and waits for the reader to end.
func (l *kafkaLink) close() error {
	l.cl.Close()
	l.stop()
	<-l.done
	return nil
}
