using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// Stored state in Orleans' binary format, byte for byte what <c>OrleansGrainStorageSerializer</c> writes, with one
/// allocation per write: each thread serialises into a buffer it reuses, and the result is copied once into an
/// array of its exact size. Orleans' own serialiser starts an empty growable buffer per write, which for a borrower's
/// state of several KB meant five or six growing copies on every step (a third of the silo's allocations in the
/// transitions benchmark, tests/BENCHMARKS.md).
/// </summary>
public sealed class StateFormat(Serializer serializer) : IGrainStorageSerializer
{
    /// <summary>A buffer that grew past this (a rare, very large state) is not kept for the next write.</summary>
    private const int KeptCapacity = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public BinaryData Serialize<T>(T? input)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        try
        {
            serializer.Serialize(input, buffer);
            return new BinaryData(buffer.WrittenSpan.ToArray());
        }
        finally
        {
            if (buffer.Capacity > KeptCapacity)
            {
                t_buffer = null;
            }
        }
    }

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}
