using System.Reflection;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// Every options class of every package is validated one way: a source-generated <c>[OptionsValidator]</c> in its own
/// package, from data annotations, with no public <c>Validate()</c> method beside it (decision 0702).
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly Type[] All = Packages.All
        .SelectMany(p => p.Assembly.GetExportedTypes())
        .Where(t => t.IsClass && !t.IsAbstract && t.Name.EndsWith("Options", StringComparison.Ordinal))
        .ToArray();

    public static TheoryData<Type> OptionsClasses() => new(All);

    [Fact]
    public void OptionsClasses_AreFound()
    {
        var names = All.Select(t => t.Name).ToList();
        Assert.Contains("ModelMonitorOptions", names);
        Assert.Contains("InferenceOptions", names);
        Assert.Contains("OnnxFormatOptions", names);
        Assert.True(names.Count >= 15, string.Join(", ", names));
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void OptionsClass_HasAGeneratedValidatorInItsPackage(Type options)
    {
        var validator = FindValidator(options);
        Assert.True(validator is not null, $"{options.FullName} has no [OptionsValidator] IValidateOptions<> for it or a base class in {options.Assembly.GetName().Name}.");
        Assert.False(validator!.IsPublic, $"{validator.FullName} should be internal.");
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void OptionsClass_HasNoPublicValidateMethod(Type options)
    {
        var validate = options.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.Name == "Validate").ToList();
        Assert.True(validate.Count == 0, $"{options.FullName} has a public Validate method; its rules belong in data annotations and its generated validator.");
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void OptionsClass_DefaultsPassItsValidator(Type options)
    {
        var validator = FindValidator(options)!;
        var target = validator.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>)).GetGenericArguments()[0];
        var validate = typeof(IValidateOptions<>).MakeGenericType(target).GetMethod(nameof(IValidateOptions<object>.Validate))!;
        var result = (ValidateOptionsResult)validate.Invoke(Activator.CreateInstance(validator), [null, Activator.CreateInstance(options)])!;
        Assert.True(result.Succeeded, $"{options.Name}'s defaults fail: {result.FailureMessage}");
    }

    private static Type? FindValidator(Type options)
    {
        for (var type = options; type is not null && type != typeof(object); type = type.BaseType)
        {
            var validator = options.Assembly.GetTypes().FirstOrDefault(t =>
                t.GetCustomAttribute<OptionsValidatorAttribute>() is not null
                && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>) && i.GetGenericArguments()[0] == type));
            if (validator is not null)
            {
                return validator;
            }
        }

        return null;
    }
}
