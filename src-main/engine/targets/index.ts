/** Targets whose density and score are known in closed form (for explicit score matching and checks). */
export { mixtureLogDensity, mixtureScore, perturbedMixture, perturbedMixtureLogDensityTensor, perturbedMixtureScoreTensor } from './gaussian-mixture';
