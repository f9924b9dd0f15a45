using System.Text;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class VariantAssignerTests
{
    private static readonly Experiment AbbC = new("exp-1", [new("A", 1), new("B", 1), new("C", 2)]);

    [Fact]
    public void Fnv1a64MatchesPublishedTestVectors()
    {
        Assert.Equal(0xcbf29ce484222325UL, VariantAssigner.Fnv1a64([]));
        Assert.Equal(0xaf63dc4c8601ec8cUL, VariantAssigner.Fnv1a64("a"u8));
        Assert.Equal(0x85944171f73967e8UL, VariantAssigner.Fnv1a64("foobar"u8));
    }

    [Fact]
    public void HashIsFixedAcrossProcesses()
    {
        // Value computed independently (Python) from the documented algorithm; a process-randomised hash
        // such as string.GetHashCode could never match it.
        Assert.Equal(0x02b526848602997dUL, VariantAssigner.StableHash("borrower-1", "exp-1"));
    }

    [Theory]
    [InlineData("borrower-1", "exp-1", "A")]
    [InlineData("borrower-2", "exp-1", "C")]
    [InlineData("borrower-3", "exp-1", "C")]
    [InlineData("borrower-3", "exp-2", "B")]
    [InlineData("借款人-7", "exp-1", "C")]
    public void AssignmentMatchesIndependentlyComputedValues(string borrower, string experimentId, string variant)
    {
        Assert.Equal(variant, VariantAssigner.Assign(borrower, AbbC with { ExperimentId = experimentId }));
    }

    [Fact]
    public void SameBorrowerAlwaysGetsTheSameVariant()
    {
        var first = Enumerable.Range(0, 200).Select(i => VariantAssigner.Assign($"b{i}", AbbC)).ToList();
        var second = Enumerable.Range(0, 200).Select(i => VariantAssigner.Assign($"b{i}", AbbC)).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void SeparatorKeepsIdBoundariesApart()
    {
        Assert.NotEqual(VariantAssigner.StableHash("ab", "c"), VariantAssigner.StableHash("a", "bc"));
    }

    [Fact]
    public void WeightsShapeTheDistribution()
    {
        const int borrowers = 20_000;

        var counts = Enumerable.Range(0, borrowers)
            .GroupBy(i => VariantAssigner.Assign($"borrower-{i}", AbbC))
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(counts["A"], 4_700, 5_300);
        Assert.InRange(counts["B"], 4_700, 5_300);
        Assert.InRange(counts["C"], 9_600, 10_400);
    }

    [Fact]
    public void DifferentExperimentsAssignIndependently()
    {
        var half = new Experiment("x", [new("A", 1), new("B", 1)]);
        var other = half with { ExperimentId = "y" };

        var agree = Enumerable.Range(0, 10_000)
            .Count(i => VariantAssigner.Assign($"b{i}", half) == VariantAssigner.Assign($"b{i}", other));

        Assert.InRange(agree, 4_700, 5_300);
    }

    [Fact]
    public void ZeroWeightVariantIsNeverChosen()
    {
        var experiment = new Experiment("e", [new("off", 0), new("on", 3)]);

        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal("on", VariantAssigner.Assign($"b{i}", experiment)));
    }

    [Fact]
    public void InvalidExperimentReportsEveryProblem()
    {
        var experiment = new Experiment(" ", [new("A", -1), new("A", 0), new("", 0)]);

        var error = Assert.Throws<DomainValidationException>(() => VariantAssigner.Assign("", experiment));

        Assert.Equal(
            [
                "experiment.experimentId", "experiment.variants[0].weight", "experiment.variants[1].variant",
                "experiment.variants[2].variant", "experiment.variants", "borrowerId",
            ],
            error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void HashCoversTheUtf8BytesOfBothIds()
    {
        var bytes = Encoding.UTF8.GetBytes("借款人-7\0exp-1");

        Assert.Equal(VariantAssigner.Mix(VariantAssigner.Fnv1a64(bytes)), VariantAssigner.StableHash("借款人-7", "exp-1"));
    }
}
