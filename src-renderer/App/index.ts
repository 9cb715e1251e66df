import './app.css';

export { App } from './App';
