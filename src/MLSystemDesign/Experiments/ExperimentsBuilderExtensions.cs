using MLSystemDesign;
using MLSystemDesign.Experiments;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers traffic allocators, keyed by the model (or experiment) they allocate for.</summary>
public static class ExperimentsBuilderExtensions
{
    /// <summary>
    /// Registers an allocator as a keyed singleton: resolve it with <c>GetRequiredKeyedService&lt;IArmAllocator&gt;(name)</c>
    /// (a rollout router calls <see cref="IArmAllocator.Assign(ReadOnlySpan{char})"/> on it per request). Several models
    /// each have their own.
    /// </summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="name">The model or experiment name it is keyed by.</param>
    /// <param name="factory">Creates the allocator (see <see cref="ArmAllocators"/>).</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddArmAllocator(this MLSystemBuilder builder, string name, Func<IServiceProvider, IArmAllocator> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (builder.Services.Any(d => d.ServiceType == typeof(IArmAllocator) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"An allocator is already registered for '{name}'.");
        }

        builder.Services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        return builder;
    }
}
