package messaging

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// cluster starts an in-process Kafka cluster on loopback with the given
// topics and returns its kafka:// URL.
func cluster(t *testing.T, topics ...string) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topics...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return "kafka://" + c.ListenAddrs()[0]
}

// responder answers every record of jobs with one on statuses, copying
// its headers, and returns once it has answered n.
func responder(t *testing.T, base string, n int) <-chan error {
	done := make(chan error, 1)
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.TrimPrefix(base, "kafka://")), kgo.ConsumeTopics("jobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	go func() {
		ctx := guarded(t)
		for answered := 0; answered < n; {
			fs := cl.PollFetches(ctx)
			if err := ctx.Err(); err != nil {
				done <- err
				return
			}
			fs.EachRecord(func(r *kgo.Record) {
				out := &kgo.Record{Topic: "statuses", Value: []byte("done " + string(r.Value)), Headers: r.Headers}
				if err := cl.ProduceSync(ctx, out).FirstErr(); err != nil {
					done <- err
				}
				answered++
			})
		}
		done <- nil
	}()
	return done
}

func TestKafkaPublishThenReceive(t *testing.T) {
	base := cluster(t, "jobs", "statuses")
	answered := responder(t, base, 2)
	h := &Hub{}
	defer h.Close()
	ctx := guarded(t)
	for _, job := range []string{"a", "b"} {
		m := &Message{URL: base + "/jobs", Header: []Field{{"jobId", job}}, Payload: []byte(job)}
		if err := h.Publish(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// Both statuses are produced before any receive starts: the link
	// reads the topic from the hub's start, so they wait for it.
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
	for _, job := range []string{"b", "a"} {
		got, err := h.Receive(ctx, base+"/statuses", func(m *Message) bool {
			return len(m.Header) == 1 && m.Header[0] == Field{"jobId", job}
		})
		if err != nil {
			t.Fatalf("receive %s: %v", job, err)
		}
		if string(got.Payload) != "done "+job || got.URL != base+"/statuses" {
			t.Errorf("received %q from %s", got.Payload, got.URL)
		}
	}
}

func TestKafkaReceiveEndsWithContext(t *testing.T) {
	base := cluster(t, "quiet")
	h := &Hub{}
	defer h.Close()
	ctx, cancel := context.WithCancel(guarded(t))
	cancel()
	if _, err := h.Receive(ctx, base+"/quiet", func(*Message) bool { return true }); err != context.Canceled {
		t.Errorf("receive on a quiet topic = %v, want context.Canceled", err)
	}
	if err := h.Publish(guarded(t), &Message{URL: base}); err == nil || !strings.Contains(err.Error(), "kafka://host:port/topic") {
		t.Errorf("publish without a topic = %v", err)
	}
}
