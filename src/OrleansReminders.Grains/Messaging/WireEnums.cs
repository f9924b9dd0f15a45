using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// The edge between the domain's channel and tier and their wire twins, and the lowercase names that stored
/// state, template keys and providers use ("sms", "medium").
/// </summary>
public static class WireEnums
{
    public static MessageChannel ToWire(this Channel channel) => channel switch
    {
        Channel.Sms => MessageChannel.Sms,
        Channel.Email => MessageChannel.Email,
        Channel.Call => MessageChannel.Call,
        Channel.Agency => MessageChannel.Agency,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    public static Tier ToWire(this RiskTier tier) => tier switch
    {
        RiskTier.Low => Tier.Low,
        RiskTier.Medium => Tier.Medium,
        RiskTier.High => Tier.High,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>The channel of a stored outbox entry ("sms", "call"; case ignored).</summary>
    public static MessageChannel ChannelNamed(string name) => Enum.Parse<MessageChannel>(name, ignoreCase: true);

    public static string Name(this MessageChannel channel) => channel switch
    {
        MessageChannel.Sms => "sms",
        MessageChannel.Email => "email",
        MessageChannel.Call => "call",
        MessageChannel.Agency => "agency",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    public static string Name(this Tier tier) => tier switch
    {
        Tier.Low => "low",
        Tier.Medium => "medium",
        Tier.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };
}
