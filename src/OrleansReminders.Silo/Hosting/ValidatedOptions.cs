using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// The one way the service binds settings: <c>AddOptions&lt;T&gt;().BindConfiguration(section).ValidateOnStart()</c>,
/// with one <see cref="IValidateOptions{TOptions}"/> per rule. Every failure is one line that names its setting
/// (<c>Section:Property: problem</c>); <see cref="StartupProblems"/> lists them all when start-up stops.
/// </summary>
internal static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validated at start-up.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class => services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();

    /// <summary>Adds a rule: <paramref name="problems"/> returns one line per problem, empty when the options are valid.</summary>
    public static OptionsBuilder<T> WithRule<T>(this OptionsBuilder<T> builder, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Rule<T>(problems));
        return builder;
    }

    /// <summary>Adds the data-annotation rules of <typeparamref name="T"/>, each failure named by its setting path.</summary>
    public static OptionsBuilder<T> WithAnnotations<T>(this OptionsBuilder<T> builder, string section, Func<T, bool>? when = null)
        where T : class => builder.WithRule(options => when is null || when(options) ? Annotations(section, options) : []);

    /// <summary>The data-annotation failures of <paramref name="options"/> as <c>Section:Member: message</c> lines.</summary>
    public static IEnumerable<string> Annotations(string section, object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }

    /// <summary>A result from problem lines.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> problems) =>
        problems.ToList() is { Count: > 0 } lines ? ValidateOptionsResult.Fail(lines) : ValidateOptionsResult.Success;

    private sealed class Rule<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) => Result(problems(options));
    }
}
