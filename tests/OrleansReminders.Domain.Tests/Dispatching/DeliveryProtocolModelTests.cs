using FsCheck;
using Xunit.Abstractions;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Dispatching;

namespace OrleansReminders.Domain.Tests.Dispatching;

/// <summary>
/// The send path as a whole — a borrower's <see cref="Outbox"/>, a dispatcher's <see cref="DispatchQueue{T}"/>,
/// the calls between them and the provider — driven through random interleavings of decide, offer, deliver
/// or lose a call, lease expiry, provider accept / fail / throttle / no answer, receipts and crashes of
/// either side. After the faults stop and the system runs to quiescence, every invariant of the delivery
/// guarantee must hold.
/// </summary>
public sealed class DeliveryProtocolModelTests
{
    private static readonly Gen<int[]> Operations = Gen.ArrayOf(Gen.Choose(0, 9_999));

    [Property(MaxTest = 400)]
    public Property WhenTheProviderCanBeAskedNothingIsLostAndNoKeyIsSentTwice() =>
        Prop.ForAll(Operations.ToArbitrary(), ops =>
        {
            var world = World.Run(ops, DoubtPolicy.AskProvider);
            return Holds(world) && world.ProviderCounts.Values.All(c => c <= 1);
        });

    [Property(MaxTest = 300)]
    public Property AtLeastOnceNeverLosesAndSendsTwiceOnlyWhenItResentADoubt() =>
        Prop.ForAll(Operations.ToArbitrary(), ops =>
        {
            var world = World.Run(ops, DoubtPolicy.AtLeastOnce);
            return Holds(world)
                && world.ProviderCounts.All(c => c.Value <= 1 + world.Resends.GetValueOrDefault(c.Key));
        });

    [Property(MaxTest = 300)]
    public Property AtMostOnceNeverSendsAKeyTwice() =>
        Prop.ForAll(Operations.ToArbitrary(), ops =>
        {
            var world = World.Run(ops, DoubtPolicy.AtMostOnce);
            return Holds(world) && world.ProviderCounts.Values.All(c => c <= 1);
        });

    /// <summary>True when no invariant is broken; otherwise fails with every broken one (FsCheck shows the exception).</summary>
    private static bool Holds(World world) =>
        world.Violations() is { Count: 0 } ? true : throw new InvalidOperationException(string.Join("; ", world.Violations()));

    [Fact]
    public void ACrashBetweenTheProviderAcceptingAndTheAcceptanceBeingRecordedIsResolvedByAskingTheProvider()
    {
        // decide, run (offer), deliver the offer, step (send), provider accepts, crash the dispatcher, let the lease run out.
        var world = new World(DoubtPolicy.AskProvider);
        world.Decide(60);
        world.BorrowerRun();
        world.Deliver(0);
        world.DispatcherStep();
        world.ProviderAnswers(0, ProviderBehaviour.Accept);
        world.CrashDispatcher(reachedProvider: false);
        world.Quiesce();

        Assert.Empty(world.Violations());
        Assert.Equal(1, world.ProviderCounts["k0"]);
        Assert.Equal(OutboxStatus.Accepted, world.Outbox.Find("k0")!.Status);
        Assert.Equal(1, world.Asked);
    }

    [Fact]
    public void AMessageWhoseDispatcherDiedWhileItWaitedIsOfferedAgainAndSentOnce()
    {
        var world = new World(DoubtPolicy.AtMostOnce);
        world.Decide(60);
        world.BorrowerRun();
        world.Deliver(0);
        world.CrashDispatcher(reachedProvider: false);
        world.Quiesce();

        // The lease ran out, so the message is "maybe sent"; at most once gives it up rather than risk a second send.
        Assert.Empty(world.Violations());
        Assert.False(world.ProviderCounts.ContainsKey("k0"));
        Assert.Equal(OutboxStatus.Failed, world.Outbox.Find("k0")!.Status);
        Assert.Equal(1, world.GivenUp);
    }

    [Fact]
    public void ARepeatedOfferToALiveDispatcherIsRecognisedWithoutAsking()
    {
        var world = new World(DoubtPolicy.AskProvider);
        world.Decide(60);
        world.BorrowerRun();
        world.Deliver(0); // queued
        world.Advance(Duration.FromSeconds(World.LeaseSeconds + 1));
        world.BorrowerRun(); // lease expired: offered again, maybe sent
        world.DeliverAll();
        world.DispatcherStep();
        world.ProviderAnswers(0, ProviderBehaviour.Accept);
        world.Quiesce();

        Assert.Empty(world.Violations());
        Assert.Equal(1, world.ProviderCounts["k0"]);
        Assert.Equal(0, world.Asked);
    }

    internal enum ProviderBehaviour
    {
        Accept,
        AcceptNoAnswer,
        NoAnswer,
        Transient,
        Throttle,
        Permanent,
    }

    /// <summary>One borrower, one dispatcher, one provider, and the calls in transit between them.</summary>
    internal sealed class World(DoubtPolicy policy)
    {
        public const int LeaseSeconds = 30;
        private static readonly Instant Start = Instant.FromUtc(2026, 12, 1, 9, 0);
        private readonly List<Call> _network = [];
        private readonly List<(DispatchStep<OutboxMessage> Step, Instant At)> _atProvider = [];
        private readonly Dictionary<string, int> _maxRank = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _acceptedEvents = new(StringComparer.Ordinal);
        private readonly List<string> _violations = [];
        private List<OutboxMessage> _stored = [];
        private DispatchQueue<OutboxMessage> _queue = NewQueue();
        private int _decided;

        public Instant Now { get; private set; } = Start;

        public Outbox Outbox { get; private set; } = new([]);

        public Dictionary<string, int> ProviderCounts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Resends { get; } = new(StringComparer.Ordinal);

        public int Asked { get; private set; }

        public int GivenUp { get; private set; }

        public static World Run(int[] ops, DoubtPolicy policy)
        {
            var world = new World(policy);
            foreach (var op in ops)
            {
                world.Apply(op);
            }

            world.Quiesce();
            return world;
        }

        public IReadOnlyList<string> Violations()
        {
            var found = new List<string>(_violations);
            foreach (var message in Outbox.Messages)
            {
                var sent = ProviderCounts.GetValueOrDefault(message.Key);
                if (message.Unsent)
                {
                    found.Add($"{message.Key} still {message.Status} after quiescence");
                }

                if (message.Status is OutboxStatus.Accepted or OutboxStatus.Delivered && sent == 0)
                {
                    found.Add($"{message.Key} recorded accepted but the provider never had it");
                }

                if (sent > 0 && policy == DoubtPolicy.AskProvider && message.Status is not (OutboxStatus.Accepted or OutboxStatus.Delivered))
                {
                    found.Add($"{message.Key} is at the provider but the borrower has it {message.Status}");
                }
            }

            found.AddRange(_acceptedEvents.Where(a => a.Value > 1).Select(a => $"{a.Key} accepted {a.Value} times"));
            return found;
        }

        public void Apply(int op)
        {
            var arg = op / 10;
            switch (op % 10)
            {
                case 0:
                    Decide(10 + (arg % 120));
                    break;
                case 1:
                    BorrowerRun();
                    break;
                case 2:
                case 3:
                    Deliver(arg);
                    break;
                case 4:
                    DispatcherStep();
                    break;
                case 5:
                case 6:
                    ProviderAnswers(arg, (ProviderBehaviour)(arg % 6));
                    break;
                case 7:
                    Advance(Duration.FromSeconds(1 + (arg % 40)));
                    break;
                case 8:
                    if (arg % 3 == 0)
                    {
                        CrashDispatcher(reachedProvider: arg % 2 == 0);
                    }
                    else if (arg % 3 == 1)
                    {
                        CrashBorrower();
                    }
                    else if (_network.Count > 0)
                    {
                        _network.RemoveAt(arg % _network.Count); // a call lost on the way
                    }

                    break;
                default:
                    Receipt(arg);
                    break;
            }
        }

        public void Decide(int windowSeconds)
        {
            var key = $"k{_decided++}";
            Borrower(outbox => outbox.Add(new OutboxMessage(key, Channel.Sms, "t", "L0", Transactional: key.EndsWith('7'), Urgent: false,
                CountsAsUnanswered: true, CreatedAt: Now, SendBy: Now + Duration.FromSeconds(windowSeconds))));
        }

        /// <summary>A borrower run: review, offer, store, then hand over (an offer leaves only after the write).</summary>
        public void BorrowerRun()
        {
            var offered = Borrower(outbox =>
            {
                outbox.Review(Now, NextWindow);
                return outbox.Offer(Now, Duration.FromSeconds(LeaseSeconds));
            });
            _network.AddRange(offered.Select(m => new Call(ToDispatcher: true, Offer: m)));
        }

        public void Deliver(int index)
        {
            if (_network.Count == 0)
            {
                return;
            }

            var call = _network[index % _network.Count];
            _network.RemoveAt(index % _network.Count);
            if (call.Offer is { } offered)
            {
                var result = _queue.Offer(new DispatchItem<OutboxMessage>(offered.Key, offered.Offers, offered.Transactional, offered.SendBy, offered.MaybeSent, offered));
                _network.Add(new Call(ToDispatcher: false, Answer: (offered.Key, offered.Offers, result)));
            }
            else if (call.Answer is var (key, offer, result))
            {
                Borrower(outbox => result switch
                {
                    OfferResult.AlreadyAccepted => Answered(outbox, key, offer, HandOverAnswer.AlreadyAccepted),
                    OfferResult.Full => Answered(outbox, key, offer, HandOverAnswer.Deferred, Now + Duration.FromSeconds(5)),
                    _ => Answered(outbox, key, offer, HandOverAnswer.Queued),
                });
            }
            else if (call.Notice is { } notice)
            {
                Borrower(outbox =>
                {
                    switch (notice.Kind)
                    {
                        case NoticeKind.Accepted:
                            outbox.Accepted(notice.Key);
                            break;
                        case NoticeKind.Returned:
                            outbox.Returned(notice.Key, notice.Offer, notice.MaybeSent, Now, notice.Reason ?? "returned", NextWindow);
                            break;
                        case NoticeKind.Undeliverable:
                            outbox.GaveUp(notice.Key, notice.Offer, SendOutcome.Undeliverable, notice.Reason);
                            break;
                        default:
                            outbox.GaveUp(notice.Key, notice.Offer, SendOutcome.Failed, notice.Reason);
                            break;
                    }

                    return 0;
                });
            }
            else if (call.Receipt is { } receipt)
            {
                Borrower(outbox => outbox.Receipt(receipt, SendOutcome.Delivered));
            }
        }

        public void DeliverAll()
        {
            while (_network.Count > 0)
            {
                Deliver(0);
            }
        }

        public void DispatcherStep()
        {
            _queue.ForgetAccepted(Now);
            if (_queue.Next(Now, policy) is not { } step)
            {
                return;
            }

            var message = step.Item.Payload;
            switch (step.Kind)
            {
                case StepKind.Return:
                    _network.Add(new Call(ToDispatcher: false, Notice: new DispatchNotice(NoticeKind.Returned, message.Key, step.Item.Offer, step.Reason, step.Item.MaybeSent)));
                    return;
                case StepKind.GiveUp:
                    GivenUp++;
                    _network.Add(new Call(ToDispatcher: false, Notice: new DispatchNotice(NoticeKind.Failed, message.Key, step.Item.Offer, step.Reason)));
                    return;
                case StepKind.Ask:
                    Asked++;
                    break;
                default:
                    if (Now < (message.NotBefore ?? message.CreatedAt) || Now >= message.SendBy)
                    {
                        _violations.Add($"{message.Key} handed to the provider at {Now}, outside [{message.NotBefore ?? message.CreatedAt}, {message.SendBy})");
                    }

                    if (step.Kind == StepKind.SendAgain)
                    {
                        Resends[message.Key] = Resends.GetValueOrDefault(message.Key) + 1;
                    }

                    break;
            }

            _atProvider.Add((step, Now));
        }

        public void ProviderAnswers(int index, ProviderBehaviour behaviour)
        {
            if (_atProvider.Count == 0)
            {
                return;
            }

            var (step, _) = _atProvider[index % _atProvider.Count];
            _atProvider.RemoveAt(index % _atProvider.Count);
            var key = step.Item.Key;
            DispatchNotice? notice;
            if (step.Kind == StepKind.Ask)
            {
                bool? found = behaviour is ProviderBehaviour.NoAnswer or ProviderBehaviour.AcceptNoAnswer ? null : ProviderCounts.ContainsKey(key);
                notice = _queue.Looked(key, found, Now, Duration.FromSeconds(2));
            }
            else
            {
                if (behaviour is ProviderBehaviour.Accept or ProviderBehaviour.AcceptNoAnswer)
                {
                    ProviderCounts[key] = ProviderCounts.GetValueOrDefault(key) + 1;
                }

                var attempt = behaviour switch
                {
                    ProviderBehaviour.Accept => SendAttempt.Accepted,
                    ProviderBehaviour.AcceptNoAnswer or ProviderBehaviour.NoAnswer => SendAttempt.NoAnswer,
                    ProviderBehaviour.Transient => SendAttempt.Transient,
                    ProviderBehaviour.Throttle => SendAttempt.Throttled,
                    _ => SendAttempt.Permanent,
                };
                notice = _queue.Sent(key, attempt, Now, Now + Duration.FromSeconds(1 + _queue.AttemptsOf(key)));
            }

            if (notice is not null)
            {
                _network.Add(new Call(ToDispatcher: false, Notice: notice));
            }
        }

        /// <summary>The dispatcher's silo dies: its queue and its calls in transit are gone; a send in flight may have reached the provider.</summary>
        public void CrashDispatcher(bool reachedProvider)
        {
            foreach (var (step, _) in _atProvider.Where(s => s.Step.Kind != StepKind.Ask && reachedProvider))
            {
                ProviderCounts[step.Item.Key] = ProviderCounts.GetValueOrDefault(step.Item.Key) + 1;
            }

            _atProvider.Clear();
            _network.RemoveAll(c => c.ToDispatcher || c.Notice is not null || c.Answer is not null);
            _queue = NewQueue();
        }

        /// <summary>The borrower's silo dies: its memory reloads from what was stored; calls to it are lost.</summary>
        public void CrashBorrower()
        {
            _network.RemoveAll(c => !c.ToDispatcher);
            Outbox = new Outbox(_stored);
        }

        public void Advance(Duration by) => Now += by;

        /// <summary>Faults stop: time moves on, every call arrives, the provider answers, until nothing is unsent.</summary>
        public void Quiesce()
        {
            for (var round = 0; round < 200 && (Outbox.Messages.Any(m => m.Unsent) || _network.Count > 0 || _atProvider.Count > 0); round++)
            {
                BorrowerRun();
                DeliverAll();
                for (var i = 0; i < 20; i++)
                {
                    DispatcherStep();
                    while (_atProvider.Count > 0)
                    {
                        ProviderAnswers(0, ProviderBehaviour.Accept);
                    }
                }

                DeliverAll();
                Advance(Duration.FromSeconds(LeaseSeconds / 3));
            }
        }

        private void Receipt(int index)
        {
            var accepted = ProviderCounts.Keys.Order(StringComparer.Ordinal).ToList();
            if (accepted.Count > 0)
            {
                _network.Add(new Call(ToDispatcher: false, Receipt: accepted[index % accepted.Count]));
            }
        }

        /// <summary>One borrower call: change the outbox, check the invariants of its events, store.</summary>
        private TResult Borrower<TResult>(Func<Outbox, TResult> change)
        {
            var result = change(Outbox);
            foreach (var e in Outbox.TakeEvents())
            {
                if (e.Kind == OutboxEventKind.Accepted)
                {
                    _acceptedEvents[e.Message.Key] = _acceptedEvents.GetValueOrDefault(e.Message.Key) + 1;
                }
            }

            foreach (var message in Outbox.Messages)
            {
                var rank = message.Unsent ? 0 : message.Status == OutboxStatus.Accepted ? 1 : 2;
                if (rank < _maxRank.GetValueOrDefault(message.Key))
                {
                    _violations.Add($"{message.Key} moved back to {message.Status}");
                }

                _maxRank[message.Key] = Math.Max(rank, _maxRank.GetValueOrDefault(message.Key));
            }

            _stored = [.. Outbox.Messages];
            return result;
        }

        private static int Answered(Outbox outbox, string key, int offer, HandOverAnswer answer, Instant? retryAt = null)
        {
            outbox.Answered(key, offer, answer, retryAt, answer.ToString());
            return 0;
        }

        /// <summary>The policy in this model: the next window opens a minute later and lasts two.</summary>
        private Reslot NextWindow(OutboxMessage message) => Reslot.To(Now + Duration.FromMinutes(1), Now + Duration.FromMinutes(3));

        private static DispatchQueue<OutboxMessage> NewQueue() => new(capacity: 4, maxAttempts: 3, acceptedKept: Duration.FromMinutes(2));

        private sealed record Call(
            bool ToDispatcher,
            OutboxMessage? Offer = null,
            (string Key, int Offer, OfferResult Result)? Answer = null,
            DispatchNotice? Notice = null,
            string? Receipt = null);
    }
}
/// <summary>
/// The same model over 5,000 seeded random schedules per policy, longer than FsCheck's; a broken invariant
/// is reported with its schedule shrunk greedily to the operations that matter.
/// </summary>
public sealed class DeliveryProtocolSchedules(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DoubtPolicy.AskProvider)]
    [InlineData(DoubtPolicy.AtLeastOnce)]
    [InlineData(DoubtPolicy.AtMostOnce)]
    public void SeededSchedulesKeepEveryInvariant(DoubtPolicy policy)
    {
        var random = new Random(20261202);
        for (var n = 0; n < 5_000; n++)
        {
            var ops = Enumerable.Range(0, random.Next(1, 60)).Select(_ => random.Next(0, 10_000)).ToArray();
            if (Broken(ops, policy))
            {
                var shrunk = ops.ToList();
                for (var i = shrunk.Count - 1; i >= 0; i--)
                {
                    var without = shrunk.Where((_, j) => j != i).ToArray();
                    if (Broken(without, policy))
                    {
                        shrunk = [.. without];
                    }
                }

                var world = DeliveryProtocolModelTests.World.Run([.. shrunk], policy);
                output.WriteLine(string.Join(", ", shrunk.Select(o => $"{o % 10}/{o / 10}")));
                Assert.Fail(string.Join("; ", world.Violations()) + " after " + string.Join(",", shrunk));
            }
        }
    }

    private static bool Broken(int[] ops, DoubtPolicy policy)
    {
        var world = DeliveryProtocolModelTests.World.Run(ops, policy);
        return world.Violations().Count > 0
            || world.ProviderCounts.Any(c => c.Value > 1 + (policy == DoubtPolicy.AtLeastOnce ? world.Resends.GetValueOrDefault(c.Key) : 0));
    }
}
