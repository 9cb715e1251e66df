export { askForNotificationsOnce, watchGenerations } from './notifications';
