using Orleans.Serialization;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Encodes a borrower's recent events for its stored window in Orleans' binary format, without the
/// borrower id (the grain's own key, restored on decoding).
/// </summary>
public sealed class RecentEventCodec(Serializer<ContactEvent> serializer)
{
    public byte[] Encode(ContactEvent e) => serializer.SerializeToArray(e with { BorrowerId = "" });

    public ContactEvent Decode(byte[] encoded, string borrowerId) => serializer.Deserialize(encoded)! with { BorrowerId = borrowerId };
}
