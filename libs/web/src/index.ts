export { type Api, createApi, messageOf, ProblemError, type Schema, unwrap } from './api';
export { Field, Link, Notice, Shell, Table, useAction, useLoad } from './components';
export { navigate, usePath } from './route';
export { type Session, SignInPage, useSession } from './session';
