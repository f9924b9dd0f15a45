using System.Text;
using System.Text.Json;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// The 1-based line of every property and array item of a JSON text, by the path <see cref="PolicyPath"/>
/// builds for it (<c>holidays[1].date</c>), so an error found in the parsed document can name its line.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private JsonLineMap()
    {
    }

    /// <summary>Maps a text that parses as JSON (call it only after <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/> succeeded).</summary>
    public static JsonLineMap Of(string json, string rootPath)
    {
        var map = new JsonLineMap();
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        var lines = new LineCounter(bytes);
        var frames = new Stack<Frame>();
        while (reader.Read())
        {
            var line = lines.At((int)reader.TokenStartIndex);
            var top = frames.Count > 0 ? frames.Peek() : null;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    top!.Property = reader.GetString();
                    map._lines.TryAdd(PolicyPath.Join(top.Path, top.Property!), line);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var path = top is null ? rootPath : map.Record(top, line);
                    map._lines.TryAdd(path, line);
                    frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    if (frames.Count > 0 && frames.Peek().IsArray)
                    {
                        frames.Peek().Index++;
                    }

                    break;
                default:
                    if (top is { IsArray: true })
                    {
                        map.Record(top, line);
                        top.Index++;
                    }

                    break;
            }
        }

        return map;
    }

    /// <summary>The error with the line of its path (or of its nearest enclosing element).</summary>
    public FieldError Locate(FieldError error)
    {
        for (var path = error.Path; path.Length > 0; path = Parent(path))
        {
            if (_lines.TryGetValue(path, out var line))
            {
                return error with { Line = line };
            }
        }

        return _lines.TryGetValue("", out var root) ? error with { Line = root } : error;
    }

    private string Record(Frame parent, int line)
    {
        var path = parent.IsArray ? PolicyPath.Index(parent.Path, parent.Index) : PolicyPath.Join(parent.Path, parent.Property!);
        _lines.TryAdd(path, line);
        return path;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public string? Property { get; set; }
    }

    /// <summary>Counts line feeds up to a byte offset; offsets only grow, so each byte is looked at once.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private int _offset;
        private int _line = 1;

        public int At(int offset)
        {
            for (; _offset < offset && _offset < bytes.Length; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
