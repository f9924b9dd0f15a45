using System.Globalization;
using Fluid;
using Fluid.Values;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// One thread's reusable Fluid render state: a <see cref="TemplateContext"/> and an output buffer, so a render
/// allocates only its values and the resulting string. A render sets the template's placeholders in the
/// context's root scope, renders, then removes them and blanks the buffer (also when the render throws),
/// so no borrower's name or amount stays in a thread's state after its render. The step counter Fluid
/// enforces <c>MaxSteps</c> with starts again at zero for each render.
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

    /// <summary>No value set in the context and nothing but blanks in the buffer (between renders, always).</summary>
    internal bool HoldsNothing => !_context.LocalScope.Properties.Any() && _output.IsBlank;

    /// <summary>Renders <paramref name="liquid"/> with every name in <paramref name="placeholders"/> taken from <paramref name="values"/>.</summary>
    /// <exception cref="DomainValidationException">A placeholder has no value (one error per missing name, nothing rendered).</exception>
    public string Render(IFluidTemplate liquid, IReadOnlyList<string> placeholders, IReadOnlyDictionary<string, string> values)
    {
        _context.StartRender();
        try
        {
            List<FieldError>? missing = null;
            for (var i = 0; i < placeholders.Count; i++)
            {
                var name = placeholders[i];
                if (values.TryGetValue(name, out var value))
                {
                    _context.SetValue(name, StringValue.Create(value));
                }
                else
                {
                    (missing ??= []).Add(new FieldError($"values.{name}", $"the template uses {{{{ {name} }}}} but no value was given"));
                }
            }

            if (missing is not null)
            {
                throw new DomainValidationException(missing);
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
            for (var i = 0; i < placeholders.Count; i++)
            {
                _context.LocalScope.DeleteOwn(placeholders[i]);
            }

            _output.Release();
        }
    }

    private sealed class ScratchContext(TemplateOptions options) : TemplateContext(options)
    {
        public void StartRender() => _steps = 0;
    }

    /// <summary>A growable character buffer, blanked after each render; shrinks back after a render that needed more than the usual size.</summary>
    private sealed class ScratchOutput : IFluidOutput
    {
        private char[] _buffer = new char[InitialCapacity];
        private int _length;

        public bool IsBlank => _length == 0 && !_buffer.AsSpan().ContainsAnyExcept('\0');

        public void Release()
        {
            Array.Clear(_buffer, 0, _length);
            _length = 0;
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
