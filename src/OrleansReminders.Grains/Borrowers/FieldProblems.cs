using System.Collections.Immutable;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>The domain's field errors as the wire's field problems (grain answers and API refusals alike).</summary>
public static class FieldProblems
{
    public static ImmutableArray<FieldProblem> From(IEnumerable<FieldError> errors) =>
        [.. errors.Select(e => new FieldProblem(e.Path, e.Message))];
}
