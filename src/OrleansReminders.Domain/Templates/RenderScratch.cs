using System.Globalization;
using Fluid;
using Fluid.Values;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// One thread's reusable Fluid render state: a <see cref="TemplateContext"/> and an output buffer, so a render
/// allocates only its values and the resulting string. A render sets the template's placeholders in the
/// context's root scope, renders, and removes them again (also when the render throws), so no value outlives
/// its render; the step counter Fluid enforces <c>MaxSteps</c> with starts again at zero for each render.
/// Rendering is synchronous and calls no code of ours (no filters, no members: only strings are set), so one
/// thread's state is never in two renders at once. Fluid runs locked down: no filters registered, strict
/// variables and filters, a member access strategy with nothing registered, exact-case names, the invariant
/// culture, and no HTML encoding (SMS text is sent as rendered).
/// </summary>
internal sealed class RenderScratch
{
    private const int InitialCapacity = 512;

    // A template is text and outputs only: a few steps per placeholder, far below this bound.
    private const int MaxSteps = 10_000;

    private static readonly TemplateOptions LiquidOptions = new TemplateOptionsBuilder()
        .ClearFilters()
        .WithStrictVariables(true)
        .WithStrictFilters(true)
        .WithMemberAccessStrategy(() => new DefaultMemberAccessStrategy())
        .WithModelNamesComparer(StringComparer.Ordinal)
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .WithMaxSteps(MaxSteps)
        .Build();

    [ThreadStatic]
    private static RenderScratch? _current;

    private readonly ScratchContext _context = new(LiquidOptions);
    private readonly ScratchOutput _output = new();

    public static RenderScratch ForThisThread() => _current ??= new RenderScratch();

    /// <summary>Renders <paramref name="liquid"/> with every name in <paramref name="placeholders"/> taken from <paramref name="values"/>.</summary>
    public string Render(IFluidTemplate liquid, IReadOnlyList<string> placeholders, IReadOnlyDictionary<string, string> values)
    {
        _context.StartRender();
        _output.Clear();
        try
        {
            foreach (var name in placeholders)
            {
                _context.SetValue(name, StringValue.Create(values[name]));
            }

            var pending = liquid.RenderAsync(_output, NullEncoder.Default, _context);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }

            return _output.ToString();
        }
        finally
        {
            foreach (var name in placeholders)
            {
                _context.LocalScope.DeleteOwn(name);
            }

            _output.Release();
        }
    }

    private sealed class ScratchContext(TemplateOptions options) : TemplateContext(options)
    {
        public void StartRender() => _steps = 0;
    }

    /// <summary>A growable character buffer; shrinks back after a render that needed more than the usual size.</summary>
    private sealed class ScratchOutput : IFluidOutput
    {
        private char[] _buffer = new char[InitialCapacity];
        private int _length;

        public void Clear() => _length = 0;

        public void Release()
        {
            if (_buffer.Length > InitialCapacity * 4)
            {
                _buffer = new char[InitialCapacity];
            }
        }

        public void Advance(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
            _length += count;
        }

        public Memory<char> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_length);
        }

        public Span<char> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_length);
        }

        public void Write(string value)
        {
            Ensure(value.Length);
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
        }

        public void Write(char[] buffer, int index, int count)
        {
            Ensure(count);
            buffer.AsSpan(index, count).CopyTo(_buffer.AsSpan(_length));
            _length += count;
        }

        public ValueTask FlushAsync() => default;

        public override string ToString() => new(_buffer, 0, _length);

        private void Ensure(int sizeHint)
        {
            var needed = _length + Math.Max(sizeHint, 1);
            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
            }
        }
    }
}
