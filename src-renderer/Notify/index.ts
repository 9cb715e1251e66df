export { watchGenerations } from './notifications';
